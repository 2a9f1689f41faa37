import type { HostedResponse } from '../oauth/site.js';
import { html } from '../lib/html.js';
import { buttonForm, consoleForm, consolePage, dataTable, noticeLine, selectField, textField, timestamp } from './layout.js';
import { csrfPassed, field, forbidden, isMissing, missingPage, poolPath, refusal, seeOther, type AdminContext } from './context.js';

/** The notices the page's forms leave, by the name a redirect's query gives. */
const NOTICES: Readonly<Record<string, string>> = {
  'provider-created': 'Identity provider created.',
  'provider-deleted': 'Identity provider deleted.',
};

/** The OIDC form's fields, as the operation names them (ProviderDetails' keys in snake case). */
const OIDC_FIELDS = [
  'ProviderName',
  'client_id',
  'oidc_issuer',
  'authorize_scopes',
  'attributes_request_method',
  'AttributeMapping',
  'IdpIdentifiers',
];

/** The console path of a pool's identity providers. */
export function providersPath(poolId: string): string {
  return `${poolPath(poolId)}/identity-providers`;
}

interface ProvidersView {
  errors?: { create?: string; delete?: string };
  /** What the refused form held, so it is not typed again (never the client secret). */
  values?: Record<string, string>;
  status?: number;
}

/** A pool's identity providers, deleting one, and the form that creates an OIDC provider. */
async function providersPage(ctx: AdminContext, poolId: string, view: ProvidersView = {}): Promise<HostedResponse> {
  let providers: { ProviderName: string; ProviderType?: string; CreationDate?: unknown }[];
  try {
    providers = ((await ctx.call('ListIdentityProviders', { UserPoolId: poolId, MaxResults: 60 }))['Providers'] ?? []) as typeof providers;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such user pool', error, { href: poolPath(poolId), label: "The pool's page" });
  }
  const path = providersPath(poolId);
  const errors = view.errors ?? {};
  const values = view.values ?? { authorize_scopes: 'openid email profile', AttributeMapping: 'email=email' };
  const notice = NOTICES[ctx.query.get('notice') ?? ''];
  const invalid = errors.create !== undefined;
  const rows = providers.map(
    (p) =>
      html`<tr>
        <td>${p.ProviderName}</td>
        <td>${p.ProviderType ?? ''}</td>
        <td>${timestamp(p.CreationDate)}</td>
        <td>
          ${buttonForm({
            action: `${path}/delete`,
            csrf: ctx.csrf.token,
            label: 'Delete',
            name: `Delete ${p.ProviderName}`,
            hidden: { ProviderName: p.ProviderName },
          })}
        </td>
      </tr>`,
  );
  return consolePage({
    title: 'Identity providers',
    status: view.status ?? 200,
    signOutToken: ctx.csrf.token,
    body: html`<p><a href="${poolPath(poolId)}">The pool's page</a></p>
      <h1>Identity providers</h1>
      ${noticeLine(notice)}
      <section aria-labelledby="providers-heading">
        <h2 id="providers-heading">Providers of ${poolId}</h2>
        ${errors.delete !== undefined ? html`<p class="error" role="alert">${errors.delete}</p>` : ''}
        ${dataTable(['Name', 'Type', 'Created', 'Actions'], rows, 'No identity provider yet.')}
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">Add an OpenID Connect provider</h2>
        <p class="muted">
          The endpoints are read from the issuer's discovery document. Attribute mapping: pool attribute = provider claim, separated by
          commas.
        </p>
        ${consoleForm({
          action: path,
          csrf: ctx.csrf.token,
          id: 'create-provider',
          button: 'Add provider',
          error: errors.create,
          fields: html`${textField({ id: 'providerName', name: 'ProviderName', label: 'Provider name', value: values['ProviderName'], invalid })}
          ${textField({ id: 'clientId', name: 'client_id', label: 'Client ID', value: values['client_id'], invalid })}
          ${textField({ id: 'clientSecret', name: 'client_secret', label: 'Client secret', type: 'password', autocomplete: 'new-password' })}
          ${textField({ id: 'issuer', name: 'oidc_issuer', label: 'Issuer URL', value: values['oidc_issuer'], invalid })}
          ${textField({ id: 'scopes', name: 'authorize_scopes', label: 'Scopes', value: values['authorize_scopes'], invalid })}
          ${selectField({
            id: 'requestMethod',
            name: 'attributes_request_method',
            label: 'Attributes request method',
            choices: ['GET', 'POST'],
            value: values['attributes_request_method'],
          })}
          ${textField({ id: 'attributeMapping', name: 'AttributeMapping', label: 'Attribute mapping', value: values['AttributeMapping'], invalid })}
          ${textField({ id: 'identifiers', name: 'IdpIdentifiers', label: 'Identifiers (optional, separated by commas)', value: values['IdpIdentifiers'] })}`,
        })}
      </section>`,
  });
}

export async function showIdentityProviders(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  return providersPage(ctx, poolId);
}

/** The items of a comma-separated field, trimmed, without empty ones. */
function items(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `email=email, name=given_name` as an AttributeMapping; an item without `=` maps to nothing, for the operation to refuse. */
function attributeMapping(value: string): Record<string, string> {
  return Object.fromEntries(
    items(value).map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, ''] : [item.slice(0, at).trim(), item.slice(at + 1).trim()];
    }),
  );
}

/** CreateIdentityProvider of type OIDC from the form; back to the list, or the refusal beside the form. */
export async function submitCreateIdentityProvider(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = Object.fromEntries(OIDC_FIELDS.map((name) => [name, field(ctx, name).trim()]));
  const secret = field(ctx, 'client_secret');
  const identifiers = items(values['IdpIdentifiers']!);
  try {
    await ctx.call('CreateIdentityProvider', {
      UserPoolId: poolId,
      ProviderName: values['ProviderName'],
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: values['client_id'],
        ...(secret !== '' ? { client_secret: secret } : {}),
        oidc_issuer: values['oidc_issuer'],
        authorize_scopes: values['authorize_scopes'],
        attributes_request_method: values['attributes_request_method'] || 'GET',
      },
      AttributeMapping: attributeMapping(values['AttributeMapping']!),
      ...(identifiers.length > 0 ? { IdpIdentifiers: identifiers } : {}),
    });
  } catch (error) {
    return providersPage(ctx, poolId, { errors: { create: refusal(error) }, values, status: 400 });
  }
  return seeOther(`${providersPath(poolId)}?notice=provider-created`);
}

export async function submitDeleteIdentityProvider(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  try {
    await ctx.call('DeleteIdentityProvider', { UserPoolId: poolId, ProviderName: field(ctx, 'ProviderName') });
  } catch (error) {
    return providersPage(ctx, poolId, { errors: { delete: refusal(error) }, status: 400 });
  }
  return seeOther(`${providersPath(poolId)}?notice=provider-deleted`);
}
