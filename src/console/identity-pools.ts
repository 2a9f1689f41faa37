import type { HostedResponse } from '../oauth/site.js';
import type {
  GetIdentityPoolRolesResponse,
  IdentityPool,
  IdentityPoolShortDescription,
  MappingRule,
  RoleMapping,
} from '../generated/cognito-identity/shapes.js';
import { html } from '../lib/html.js';
import { CSRF_FIELD } from '../pages/csrf.js';
import { buttonForm, consoleForm, consolePage, dataTable, noticeLine, selectField, textAreaField, textField } from './layout.js';
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
  'mapping-saved': 'Role mapping saved.',
  'mapping-removed': 'Role mapping removed.',
  'identity-pool-deleted': 'Identity pool deleted.',
};

interface FormView {
  error?: string;
  /** The refusal of the role mapping form, or of removing a mapping, and what the form held. */
  mappingError?: string;
  mappingValues?: Record<string, string>;
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
  const path = identityPoolPath(id);
  const mappings = roles.RoleMappings ?? {};
  const mappingRows = Object.entries(mappings).map(
    ([provider, mapping]) =>
      html`<tr>
        <td>${provider}</td>
        <td>${mapping.Type}</td>
        <td>${mapping.AmbiguousRoleResolution ?? ''}</td>
        <td>${(mapping.RulesConfiguration?.Rules ?? []).map((rule) => html`<div>${ruleLine(rule)}</div>`)}</td>
        <td>
          <a href="${path}?mapping=${encodeURIComponent(provider)}#mapping-heading" aria-label="Edit the mapping of ${provider}">Edit</a>
          ${buttonForm({
            action: `${path}/mappings/remove`,
            csrf: ctx.csrf.token,
            label: 'Remove',
            name: `Remove the mapping of ${provider}`,
            hidden: { provider },
          })}
        </td>
      </tr>`,
  );
  // The mapping the form edits: the one refused, else the one an Edit link names, else a new one for the first provider.
  const editing = ctx.query.get('mapping') ?? '';
  const candidates = (pool.CognitoIdentityProviders ?? []).map((p) => `${p.ProviderName ?? ''}:${p.ClientId ?? ''}`);
  const mapping = view.mappingValues ?? mappingValues(editing || (candidates[0] ?? ''), mappings[editing]);
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
      </section>
      <section aria-labelledby="mapping-heading">
        <h2 id="mapping-heading">Role mappings</h2>
        ${dataTable(
          ['Provider', 'Type', 'When ambiguous', 'Rules', 'Actions'],
          mappingRows,
          'No role mapping: every identity gets the role above.',
        )}
        <p class="muted">
          A provider is named as in Logins (a user pool's as <code>cognito-idp.region.amazonaws.com/pool-id:app-client-id</code>); a mapping
          saved for a provider that has one replaces it. Rules, one to a line: claim, match type (Equals, Contains, StartsWith, NotEqual),
          value, role ARN, separated by spaces.
        </p>
        ${consoleForm({
          action: `${path}/mappings`,
          csrf: ctx.csrf.token,
          id: 'set-mapping',
          button: 'Save role mapping',
          error: view.mappingError,
          fields: html`${textField({ id: 'mappingProvider', name: 'provider', label: 'Provider', value: mapping['provider'], invalid: view.mappingError !== undefined, wide: true })}
          ${selectField({ id: 'mappingType', name: 'Type', label: 'Mapping type', choices: ['Token', 'Rules'], value: mapping['Type'] })}
          ${selectField({ id: 'mappingAmbiguous', name: 'AmbiguousRoleResolution', label: 'When no role is chosen', choices: ['AuthenticatedRole', 'Deny'], value: mapping['AmbiguousRoleResolution'] })}
          ${textAreaField({ id: 'mappingRules', name: 'Rules', label: 'Rules (for the Rules type)', value: mapping['Rules'], invalid: view.mappingError !== undefined })}`,
        })}
      </section>
      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete the identity pool</h2>
        <p>Its identities, their datasets and its roles go with it. You are asked to confirm first.</p>
        <p><a href="${path}/delete" id="delete-identity-pool">Delete ${pool.IdentityPoolName}…</a></p>
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

/** A mapping's rules as the form shows them: one a line, its four parts separated by spaces. */
function rulesText(rules: readonly MappingRule[] | undefined): string {
  return (rules ?? []).map(ruleLine).join('\n');
}

/** One rule as a line: claim, match type, value, role ARN. */
function ruleLine(rule: MappingRule): string {
  return `${rule.Claim} ${rule.MatchType} ${rule.Value} ${rule.RoleARN}`;
}

/** The mapping form's values for a provider's mapping, or a new one's. */
function mappingValues(provider: string, mapping: RoleMapping | undefined): Record<string, string> {
  return {
    provider,
    Type: mapping?.Type ?? 'Token',
    AmbiguousRoleResolution: mapping?.AmbiguousRoleResolution ?? 'AuthenticatedRole',
    Rules: rulesText(mapping?.RulesConfiguration?.Rules),
  };
}

/**
 * The rules of the form's lines: claim, match type and role ARN are the first, second and last word,
 * the value what lies between (so it may have spaces). A line of fewer than four words is a rule
 * of empty parts, for the operation to refuse.
 */
function parseRules(text: string): MappingRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const words = line.split(/\s+/);
      const [claim = '', matchType = ''] = words;
      const roleArn = words.length >= 4 ? words[words.length - 1]! : '';
      const value =
        words.length >= 4 ? line.slice(line.indexOf(matchType, claim.length) + matchType.length, line.lastIndexOf(roleArn)).trim() : '';
      return { Claim: claim, MatchType: matchType as MappingRule['MatchType'], Value: value, RoleARN: roleArn };
    });
}

/** SetIdentityPoolRoles with the pool's roles and mappings as they are but for one provider's mapping, changed or removed. */
async function changeMapping(ctx: AdminContext, id: string, provider: string, mapping: RoleMapping | undefined): Promise<void> {
  const current = (await ctx.callIdentity('GetIdentityPoolRoles', { IdentityPoolId: id })) as GetIdentityPoolRolesResponse;
  const mappings: Record<string, RoleMapping> = { ...current.RoleMappings };
  if (mapping) mappings[provider] = mapping;
  else delete mappings[provider];
  await ctx.callIdentity('SetIdentityPoolRoles', {
    IdentityPoolId: id,
    Roles: current.Roles ?? {},
    ...(Object.keys(mappings).length > 0 ? { RoleMappings: mappings } : {}),
  });
}

/** Saves the form's role mapping for its provider (replacing the one it had), keeping the roles and the other mappings. */
export async function submitSetRoleMapping(ctx: AdminContext, id: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = {
    provider: field(ctx, 'provider').trim(),
    Type: field(ctx, 'Type'),
    AmbiguousRoleResolution: field(ctx, 'AmbiguousRoleResolution'),
    Rules: field(ctx, 'Rules').replace(/\r\n/g, '\n').trim(),
  };
  const mapping = {
    Type: values.Type,
    AmbiguousRoleResolution: values.AmbiguousRoleResolution,
    ...(values.Type === 'Rules' ? { RulesConfiguration: { Rules: parseRules(values.Rules) } } : {}),
  } as RoleMapping;
  try {
    await changeMapping(ctx, id, values.provider, mapping);
  } catch (error) {
    return identityPoolPage(ctx, id, { mappingError: refusal(error), mappingValues: values, status: 400 });
  }
  return seeOther(`${identityPoolPath(id)}?notice=mapping-saved`);
}

/** Removes one provider's role mapping, keeping the rest. */
export async function submitRemoveRoleMapping(ctx: AdminContext, id: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  try {
    await changeMapping(ctx, id, field(ctx, 'provider'), undefined);
  } catch (error) {
    return identityPoolPage(ctx, id, { mappingError: refusal(error), status: 400 });
  }
  return seeOther(`${identityPoolPath(id)}?notice=mapping-removed`);
}

/** The step before deleting an identity pool: what goes with it, and the one button that deletes it. */
export async function showDeleteIdentityPool(ctx: AdminContext, id: string, error?: string): Promise<HostedResponse> {
  let pool: IdentityPool;
  try {
    pool = (await ctx.callIdentity('DescribeIdentityPool', { IdentityPoolId: id })) as unknown as IdentityPool;
  } catch (caught) {
    if (!isMissing(caught)) throw caught;
    return missingPage(ctx, 'No such identity pool', caught, { href: POOLS_PATH, label: 'All identity pools' });
  }
  return consolePage({
    title: `Delete ${pool.IdentityPoolName}`,
    status: error === undefined ? 200 : 400,
    signOutToken: ctx.csrf.token,
    body: html`<p><a href="${identityPoolPath(id)}">Back to ${pool.IdentityPoolName}</a></p>
      <h1>Delete ${pool.IdentityPoolName}?</h1>
      <section aria-labelledby="confirm-heading">
        <h2 id="confirm-heading">This cannot be undone</h2>
        <p>
          The identity pool <strong>${pool.IdentityPoolName}</strong> (${id}) is deleted with its identities, their datasets and its roles.
          Apps that get credentials from it stop getting them.
        </p>
        <form method="post" action="${identityPoolPath(id)}/delete" id="confirm-delete">
          <input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.token}" />
          <div class="actions">
            <button type="submit">Delete identity pool</button>
            <a href="${identityPoolPath(id)}">Cancel</a>
          </div>
          ${error !== undefined ? html`<p class="error" role="alert">${error}</p>` : ''}
        </form>
      </section>`,
  });
}

/** DeleteIdentityPool, once confirmed; back to the list. */
export async function submitDeleteIdentityPool(ctx: AdminContext, id: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  try {
    await ctx.callIdentity('DeleteIdentityPool', { IdentityPoolId: id });
  } catch (error) {
    return showDeleteIdentityPool(ctx, id, refusal(error));
  }
  return seeOther(`${POOLS_PATH}?notice=identity-pool-deleted`);
}
