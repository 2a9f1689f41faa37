import type { HostedResponse } from '../oauth/site.js';
import type { GetIdentityPoolRolesResponse, IdentityPool, IdentityPoolShortDescription } from '../generated/cognito-identity/shapes.js';
import { html } from '../lib/html.js';
import { consoleForm, consolePage, dataTable, noticeLine, textField } from './layout.js';
import { csrfPassed, field, forbidden, isMissing, missingPage, refusal, seeOther, type AdminContext } from './context.js';
import { CONSOLE_PATH } from './session.js';

const POOLS_PATH = `${CONSOLE_PATH}/identity-pools`;

/** The console path of an identity pool's page. */
export function identityPoolPath(id: string): string {
  return `${POOLS_PATH}/${encodeURIComponent(id)}`;
}

/** The notices a redirect after a change may ask for. */
const NOTICES: Readonly<Record<string, string>> = {
  'identity-pool-created': 'Identity pool created.',
  'roles-saved': 'Roles saved.',
};

interface FormView {
  error?: string;
  /** What the refused form held, so it is not typed again. */
  values?: Record<string, string>;
  status?: number;
}

/** The identity pools (the first 60, as one ListIdentityPools page) and the form that creates one. */
async function identityPoolsPage(ctx: AdminContext, view: FormView = {}): Promise<HostedResponse> {
  const pools = ((await ctx.callIdentity('ListIdentityPools', { MaxResults: 60 }))['IdentityPools'] ??
    []) as IdentityPoolShortDescription[];
  const values = view.values ?? {};
  const invalid = view.error !== undefined;
  const notice = NOTICES[ctx.query.get('notice') ?? ''];
  const rows = pools.map(
    (pool) =>
      html`<tr>
        <td><a href="${identityPoolPath(pool.IdentityPoolId ?? '')}">${pool.IdentityPoolName ?? ''}</a></td>
        <td>${pool.IdentityPoolId ?? ''}</td>
      </tr>`,
  );
  return consolePage({
    title: 'Identity pools',
    status: view.status ?? 200,
    signOutToken: ctx.csrf.token,
    body: html`<h1>Identity pools</h1>
      ${noticeLine(notice)}
      <section aria-labelledby="pools-heading">
        <h2 id="pools-heading">Pools</h2>
        ${dataTable(['Name', 'ID'], rows, 'No identity pool yet.', 'The first 60 identity pools')}
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">Create an identity pool</h2>
        ${consoleForm({
          action: POOLS_PATH,
          csrf: ctx.csrf.token,
          id: 'create-identity-pool',
          button: 'Create identity pool',
          error: view.error,
          fields: html`${textField({ id: 'identityPoolName', name: 'IdentityPoolName', label: 'Name', value: values['IdentityPoolName'], invalid })}
            ${textField({ id: 'userPoolId', name: 'UserPoolId', label: 'User pool ID (optional)', value: values['UserPoolId'], invalid })}
            ${textField({ id: 'clientId', name: 'ClientId', label: 'App client ID (optional)', value: values['ClientId'], invalid })}
            <label class="check"
              ><input
                type="checkbox"
                name="AllowUnauthenticatedIdentities"
                value="true"
                ${values['AllowUnauthenticatedIdentities'] === 'true' ? html` checked` : ''}
              />Allow guest (unauthenticated) identities</label
            >`,
        })}
      </section>`,
  });
}

export async function showIdentityPools(ctx: AdminContext): Promise<HostedResponse> {
  return identityPoolsPage(ctx);
}

/** CreateIdentityPool with the form's name, guest access, and a user pool's app client as its provider when given. */
export async function submitCreateIdentityPool(ctx: AdminContext): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = {
    IdentityPoolName: field(ctx, 'IdentityPoolName').trim(),
    UserPoolId: field(ctx, 'UserPoolId').trim(),
    ClientId: field(ctx, 'ClientId').trim(),
    AllowUnauthenticatedIdentities: field(ctx, 'AllowUnauthenticatedIdentities'),
  };
  const region = ctx.services.config.region;
  let created: Record<string, unknown>;
  try {
    created = await ctx.callIdentity('CreateIdentityPool', {
      IdentityPoolName: values.IdentityPoolName,
      AllowUnauthenticatedIdentities: values.AllowUnauthenticatedIdentities === 'true',
      ...(values.UserPoolId !== '' || values.ClientId !== ''
        ? {
            CognitoIdentityProviders: [
              { ProviderName: `cognito-idp.${region}.amazonaws.com/${values.UserPoolId}`, ClientId: values.ClientId },
            ],
          }
        : {}),
    });
  } catch (error) {
    return identityPoolsPage(ctx, { error: refusal(error), values, status: 400 });
  }
  return seeOther(`${identityPoolPath(String(created['IdentityPoolId']))}?notice=identity-pool-created`);
}

/** An identity pool's page: its settings and providers, its role mappings, and the form that sets its two roles. */
async function identityPoolPage(ctx: AdminContext, id: string, view: FormView = {}): Promise<HostedResponse> {
  let pool: IdentityPool;
  let roles: GetIdentityPoolRolesResponse;
  try {
    pool = (await ctx.callIdentity('DescribeIdentityPool', { IdentityPoolId: id })) as unknown as IdentityPool;
    roles = (await ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id })) as GetIdentityPoolRolesResponse;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such identity pool', error, { href: POOLS_PATH, label: 'All identity pools' });
  }
  const values = view.values ?? {
    authenticated: roles.Roles?.['authenticated'] ?? '',
    unauthenticated: roles.Roles?.['unauthenticated'] ?? '',
  };
  const invalid = view.error !== undefined;
  const notice = NOTICES[ctx.query.get('notice') ?? ''];
  const providerRows = (pool.CognitoIdentityProviders ?? []).map(
    (p) =>
      html`<tr>
        <td>${p.ProviderName ?? ''}</td>
        <td>${p.ClientId ?? ''}</td>
      </tr>`,
  );
  const mappingRows = Object.entries(roles.RoleMappings ?? {}).map(
    ([provider, mapping]) =>
      html`<tr>
        <td>${provider}</td>
        <td>${mapping.Type}</td>
        <td>${mapping.AmbiguousRoleResolution ?? ''}</td>
      </tr>`,
  );
  return consolePage({
    title: pool.IdentityPoolName,
    status: view.status ?? 200,
    signOutToken: ctx.csrf.token,
    body: html`<p><a href="${POOLS_PATH}">All identity pools</a></p>
      <h1>${pool.IdentityPoolName}</h1>
      ${noticeLine(notice)}
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <dl>
          <dt>Identity pool ID</dt>
          <dd>${pool.IdentityPoolId}</dd>
          <dt>Guest identities</dt>
          <dd>${pool.AllowUnauthenticatedIdentities ? 'Allowed' : 'Not allowed'}</dd>
          <dt>Basic (classic) flow</dt>
          <dd>${pool.AllowClassicFlow ? 'Allowed' : 'Not allowed'}</dd>
        </dl>
        <h3>User pool providers</h3>
        ${dataTable(['Provider name', 'App client ID'], providerRows, 'No user pool provider.')}
      </section>
      <section aria-labelledby="roles-heading">
        <h2 id="roles-heading">Roles</h2>
        ${consoleForm({
          action: `${identityPoolPath(id)}/roles`,
          csrf: ctx.csrf.token,
          id: 'set-roles',
          button: 'Save roles',
          error: view.error,
          fields: html`${textField({ id: 'authenticated', name: 'authenticated', label: 'Authenticated role ARN', value: values['authenticated'], invalid, wide: true })}
          ${textField({ id: 'unauthenticated', name: 'unauthenticated', label: 'Guest role ARN', value: values['unauthenticated'], invalid, wide: true })}`,
        })}
        <h3>Role mappings</h3>
        ${dataTable(['Provider', 'Type', 'When ambiguous'], mappingRows, 'No role mapping: every identity gets the role above.')}
      </section>`,
  });
}

export async function showIdentityPool(ctx: AdminContext, id: string): Promise<HostedResponse> {
  return identityPoolPage(ctx, id);
}

/** SetIdentityPoolRoles with the form's two roles (an empty one removed) and the pool's role mappings as they are. */
export async function submitSetIdentityPoolRoles(ctx: AdminContext, id: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = { authenticated: field(ctx, 'authenticated').trim(), unauthenticated: field(ctx, 'unauthenticated').trim() };
  try {
    // SetIdentityPoolRoles replaces the role mappings too: the ones the pool has are sent back unchanged.
    const current = (await ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id })) as GetIdentityPoolRolesResponse;
    await ctx.callIdentity('SetIdentityPoolRoles', {
      IdentityPoolId: id,
      Roles: Object.fromEntries(Object.entries(values).filter(([, arn]) => arn !== '')),
      ...(current.RoleMappings !== undefined ? { RoleMappings: current.RoleMappings } : {}),
    });
  } catch (error) {
    return identityPoolPage(ctx, id, { error: refusal(error), values, status: 400 });
  }
  return seeOther(`${identityPoolPath(id)}?notice=roles-saved`);
}
