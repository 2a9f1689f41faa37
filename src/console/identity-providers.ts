import type { HostedResponse } from '../oauth/site.js';
import type { IdentityProviderType } from '../generated/cognito-idp/shapes.js';
import { html, type SafeHtml } from '../lib/html.js';
import {
  buttonForm,
  checkField,
  consoleForm,
  consolePage,
  dataTable,
  noticeLine,
  selectField,
  textAreaField,
  textField,
  timestamp,
} from './layout.js';
import { csrfPassed, field, forbidden, isMissing, missingPage, poolPath, refusal, seeOther, type AdminContext } from './context.js';

/** The notices the page's forms leave, by the name a redirect's query gives. */
const NOTICES: Readonly<Record<string, string>> = {
  'provider-created': 'Identity provider created.',
  'provider-deleted': 'Identity provider deleted.',
  'provider-updated': 'Identity provider saved.',
};

/** The social providers, each named as its type. */
const SOCIAL_TYPES = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'] as const;

/** A ProviderDetails key a form edits: its label, and how it is typed in. */
interface DetailField {
  key: string;
  label: string;
  /** `secret`: never shown back, empty keeps the one set; `flag`: a checkbox of `true`/`false`; `method`: GET or POST. */
  kind: 'text' | 'secret' | 'textarea' | 'flag' | 'method';
}

const OAUTH_FIELDS: readonly DetailField[] = [
  { key: 'client_id', label: 'Client ID', kind: 'text' },
  { key: 'client_secret', label: 'Client secret', kind: 'secret' },
  { key: 'authorize_scopes', label: 'Scopes', kind: 'text' },
];

/** The details each type's forms edit, as the operation names them (ProviderDetails' keys). */
const DETAIL_FIELDS: Readonly<Record<string, readonly DetailField[]>> = {
  OIDC: [
    ...OAUTH_FIELDS.slice(0, 2),
    { key: 'oidc_issuer', label: 'Issuer URL', kind: 'text' },
    OAUTH_FIELDS[2]!,
    { key: 'attributes_request_method', label: 'Attributes request method', kind: 'method' },
  ],
  SAML: [
    { key: 'MetadataURL', label: 'Metadata document URL', kind: 'text' },
    { key: 'MetadataFile', label: 'Metadata document (XML)', kind: 'textarea' },
    { key: 'IDPSignout', label: 'Sign out from the IdP too (IDPSignout)', kind: 'flag' },
  ],
  Google: OAUTH_FIELDS,
  Facebook: OAUTH_FIELDS,
  LoginWithAmazon: OAUTH_FIELDS,
  SignInWithApple: [
    { key: 'client_id', label: 'Services ID (client ID)', kind: 'text' },
    { key: 'team_id', label: 'Team ID', kind: 'text' },
    { key: 'key_id', label: 'Key ID', kind: 'text' },
    { key: 'private_key', label: 'Private key (PEM)', kind: 'secret' },
    { key: 'authorize_scopes', label: 'Scopes', kind: 'text' },
  ],
};

/** The social form: the type chosen, then every type's details once (Apple's marked as its own). */
const SOCIAL_FIELDS: readonly DetailField[] = [
  ...OAUTH_FIELDS,
  ...DETAIL_FIELDS['SignInWithApple']!.filter((f) => f.key !== 'client_id' && f.key !== 'authorize_scopes').map((f) => ({
    ...f,
    label: `${f.label} (Sign in with Apple only)`,
  })),
];

/** The details that are secrets: never written into a page. */
const SECRET_DETAILS = new Set(['client_secret', 'private_key']);

/** The details the OIDC issuer's discovery document fills in, dropped when the issuer changes. */
const OIDC_ENDPOINTS = ['authorize_url', 'token_url', 'attributes_url', 'jwks_uri'];

/** The create forms: the page's form ID, heading and type (the social form's type is a field). */
const CREATE_FORMS = {
  oidc: { id: 'create-provider', heading: 'Add an OpenID Connect provider', fields: DETAIL_FIELDS['OIDC']! },
  saml: { id: 'create-saml', heading: 'Add a SAML provider', fields: DETAIL_FIELDS['SAML']! },
  social: { id: 'create-social', heading: 'Add a social provider', fields: SOCIAL_FIELDS },
} as const;
type CreateForm = keyof typeof CREATE_FORMS;

/** The console path of a pool's identity providers. */
export function providersPath(poolId: string): string {
  return `${poolPath(poolId)}/identity-providers`;
}

/** The console path of one identity provider's page. */
export function providerPath(poolId: string, name: string): string {
  return `${providersPath(poolId)}/${encodeURIComponent(name)}`;
}

interface ProvidersView {
  /** The refusal of the create form that was posted, or of a delete. */
  errors?: Partial<Record<CreateForm | 'delete', string>>;
  /** The form that was posted and what it held, so it is not typed again (never a secret). */
  form?: CreateForm;
  values?: Record<string, string>;
  status?: number;
}

/** A form's inputs for details, with the IDs of the form before theirs so that forms of one page do not clash. */
function detailInputs(
  prefix: string,
  fields: readonly DetailField[],
  values: Readonly<Record<string, string>>,
  invalid: boolean,
  setSecrets: ReadonlySet<string> = new Set(),
): SafeHtml[] {
  return fields.map((f) => {
    const id = `${prefix}-${f.key}`;
    switch (f.kind) {
      case 'secret': {
        const label = setSecrets.has(f.key) ? `${f.label} (set; leave empty to keep it)` : f.label;
        return f.key === 'private_key'
          ? textAreaField({ id, name: f.key, label, invalid })
          : textField({ id, name: f.key, label, type: 'password', autocomplete: 'new-password' });
      }
      case 'textarea':
        return textAreaField({ id, name: f.key, label: f.label, value: values[f.key], invalid, rows: 6 });
      case 'flag':
        return checkField({ name: f.key, label: f.label, checked: values[f.key] === 'true' });
      case 'method':
        return selectField({ id, name: f.key, label: f.label, choices: ['GET', 'POST'], value: values[f.key] });
      default:
        return textField({ id, name: f.key, label: f.label, value: values[f.key], invalid, wide: f.key === 'MetadataURL' });
    }
  });
}

/** The fields every provider form has after its details: the attribute mapping and the identifiers. */
function mappingInputs(prefix: string, values: Readonly<Record<string, string>>, invalid: boolean): SafeHtml {
  return html`${textField({ id: `${prefix}-mapping`, name: 'AttributeMapping', label: 'Attribute mapping', value: values['AttributeMapping'], invalid })}
  ${textField({ id: `${prefix}-identifiers`, name: 'IdpIdentifiers', label: 'Identifiers (optional, separated by commas)', value: values['IdpIdentifiers'] })}`;
}

/** A pool's identity providers, deleting one, and the forms that create OIDC, SAML and social providers. */
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
  const defaults: Record<CreateForm, Record<string, string>> = {
    oidc: { authorize_scopes: 'openid email profile', AttributeMapping: 'email=email' },
    saml: { AttributeMapping: 'email=email' },
    social: { authorize_scopes: 'openid email profile', AttributeMapping: 'email=email' },
  };
  if (view.form) defaults[view.form] = view.values ?? {};
  const notice = NOTICES[ctx.query.get('notice') ?? ''];
  const rows = providers.map(
    (p) =>
      html`<tr>
        <td><a href="${providerPath(poolId, p.ProviderName)}">${p.ProviderName}</a></td>
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
  const createForm = (form: CreateForm, intro: SafeHtml): SafeHtml => {
    const { id, heading, fields } = CREATE_FORMS[form];
    const values = defaults[form];
    const invalid = errors[form] !== undefined;
    const first =
      form === 'social'
        ? selectField({ id: `${id}-type`, name: 'ProviderType', label: 'Provider', choices: SOCIAL_TYPES, value: values['ProviderType'] })
        : html`<input type="hidden" name="ProviderType" value="${form.toUpperCase()}" />
            ${textField({ id: `${id}-name`, name: 'ProviderName', label: 'Provider name', value: values['ProviderName'], invalid })}`;
    return html`<section aria-labelledby="${id}-heading">
      <h2 id="${id}-heading">${heading}</h2>
      ${intro}
      ${consoleForm({
        action: path,
        csrf: ctx.csrf.token,
        id,
        button: 'Add provider',
        error: errors[form],
        fields: html`${first} ${detailInputs(id, fields, values, invalid)} ${mappingInputs(id, values, invalid)}`,
      })}
    </section>`;
  };
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
      ${createForm(
        'oidc',
        html`<p class="muted">
          The endpoints are read from the issuer's discovery document. Attribute mapping: pool attribute = provider claim, separated by
          commas.
        </p>`,
      )}
      ${createForm(
        'saml',
        html`<p class="muted">
          Give the IdP's metadata document either by its URL or pasted in whole. Attribute mapping: pool attribute = SAML attribute name.
        </p>`,
      )}
      ${createForm(
        'social',
        html`<p class="muted">
          A social provider is named as its type. Google, Facebook and Login with Amazon take a client ID and secret; Sign in with Apple
          takes its services ID, team ID, key ID and private key instead of a secret.
        </p>`,
      )}`,
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

/** An AttributeMapping as the form shows it. */
function mappingText(mapping: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(mapping ?? {})
    .map(([attribute, claim]) => `${attribute}=${claim}`)
    .join(', ');
}

/** The form's values of these details, trimmed (a metadata document and a key as typed); secrets apart. */
function formDetails(
  ctx: AdminContext,
  fields: readonly DetailField[],
): { values: Record<string, string>; secrets: Record<string, string> } {
  const values: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const f of fields) {
    // A browser sends a text area's line breaks as CRLF; a PEM key or a document is kept with the LF it was written with.
    const value = field(ctx, f.key).replace(/\r\n/g, '\n');
    if (f.kind === 'secret') {
      if (value.trim() !== '') secrets[f.key] = value.trim();
    } else if (f.kind === 'flag') values[f.key] = value === 'true' ? 'true' : 'false';
    else values[f.key] = f.kind === 'textarea' ? value : value.trim();
  }
  return { values, secrets };
}

/** The form of the type posted, and that type: OIDC and SAML by their hidden field, a social type by its choice. */
function postedType(ctx: AdminContext): { form: CreateForm; type: string } | undefined {
  const type = field(ctx, 'ProviderType') || 'OIDC';
  if (type === 'OIDC') return { form: 'oidc', type };
  if (type === 'SAML') return { form: 'saml', type };
  return (SOCIAL_TYPES as readonly string[]).includes(type) ? { form: 'social', type } : undefined;
}

/** The ProviderDetails the form gives for a type: its non-empty details; SAML's IDPSignout only when asked for. */
function detailsOf(
  type: string,
  values: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
): Record<string, string> {
  const keys = new Set((DETAIL_FIELDS[type] ?? []).map((f) => f.key));
  const details = Object.fromEntries(Object.entries(values).filter(([key, value]) => keys.has(key) && value !== ''));
  if (type === 'SAML' && details['IDPSignout'] === 'false') delete details['IDPSignout'];
  if (type === 'OIDC') details['attributes_request_method'] ||= 'GET';
  return { ...details, ...Object.fromEntries(Object.entries(secrets).filter(([key]) => keys.has(key))) };
}

/** CreateIdentityProvider of the posted form's type; back to the list, or the refusal beside the form. */
export async function submitCreateIdentityProvider(ctx: AdminContext, poolId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const posted = postedType(ctx);
  if (!posted) return providersPage(ctx, poolId, { errors: { delete: 'Choose a provider type.' }, status: 400 });
  const { form, type } = posted;
  const { values, secrets } = formDetails(ctx, CREATE_FORMS[form].fields);
  values['ProviderType'] = type;
  values['ProviderName'] = form === 'social' ? type : field(ctx, 'ProviderName').trim();
  values['AttributeMapping'] = field(ctx, 'AttributeMapping').trim();
  values['IdpIdentifiers'] = field(ctx, 'IdpIdentifiers').trim();
  const identifiers = items(values['IdpIdentifiers']);
  try {
    await ctx.call('CreateIdentityProvider', {
      UserPoolId: poolId,
      ProviderName: values['ProviderName'],
      ProviderType: type,
      ProviderDetails: detailsOf(type, values, secrets),
      AttributeMapping: attributeMapping(values['AttributeMapping']),
      ...(identifiers.length > 0 ? { IdpIdentifiers: identifiers } : {}),
    });
  } catch (error) {
    return providersPage(ctx, poolId, { errors: { [form]: refusal(error) }, form, values, status: 400 });
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

interface ProviderView {
  error?: string;
  values?: Record<string, string>;
  status?: number;
}

/** One provider: its details (a secret only as set or not) and the form that changes its details, mapping and identifiers. */
async function providerPage(ctx: AdminContext, poolId: string, name: string, view: ProviderView = {}): Promise<HostedResponse> {
  let provider: IdentityProviderType;
  try {
    provider = (await ctx.call('DescribeIdentityProvider', { UserPoolId: poolId, ProviderName: name }))[
      'IdentityProvider'
    ] as IdentityProviderType;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such identity provider', error, { href: providersPath(poolId), label: 'All identity providers' });
  }
  const type = provider.ProviderType ?? '';
  const details = provider.ProviderDetails ?? {};
  const fields = DETAIL_FIELDS[type] ?? [];
  const secretFields = fields.filter((f) => f.kind === 'secret').map((f) => f.key);
  // A secret the operation omits (Apple's key) is set all the same: the provider could not have been made without it.
  const setSecrets = new Set(secretFields.filter((key) => details[key] !== undefined || key === 'private_key'));
  const values = view.values ?? {
    ...details,
    AttributeMapping: mappingText(provider.AttributeMapping),
    IdpIdentifiers: (provider.IdpIdentifiers ?? []).join(', '),
  };
  const shownDetails = Object.entries(details)
    .filter(([key]) => !SECRET_DETAILS.has(key) && key !== 'MetadataFile')
    .sort(([a], [b]) => a.localeCompare(b));
  return consolePage({
    title: name,
    status: view.status ?? 200,
    signOutToken: ctx.csrf.token,
    body: html`<p><a href="${providersPath(poolId)}">All identity providers</a></p>
      <h1>${name}</h1>
      ${noticeLine(NOTICES[ctx.query.get('notice') ?? ''])}
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl id="provider-details">
          <dt>Type</dt>
          <dd>${type}</dd>
          ${secretFields.map(
            (key) =>
              html`<dt>${key}</dt>
                <dd>${setSecrets.has(key) ? 'Set (not shown)' : 'Not set'}</dd>`,
          )}
          ${shownDetails.map(
            ([key, value]) =>
              html`<dt>${key}</dt>
                <dd>${value}</dd>`,
          )}
          <dt>Attribute mapping</dt>
          <dd>${mappingText(provider.AttributeMapping)}</dd>
          <dt>Last modified</dt>
          <dd>${timestamp(provider.LastModifiedDate)}</dd>
        </dl>
      </section>
      <section aria-labelledby="update-heading">
        <h2 id="update-heading">Change the provider</h2>
        ${consoleForm({
          action: `${providerPath(poolId, name)}/update`,
          csrf: ctx.csrf.token,
          id: 'update-provider',
          button: 'Save provider',
          error: view.error,
          fields: html`${detailInputs('update-provider', fields, values, view.error !== undefined, setSecrets)}
          ${mappingInputs('update-provider', values, view.error !== undefined)}`,
        })}
      </section>`,
  });
}

export async function showIdentityProvider(ctx: AdminContext, poolId: string, name: string): Promise<HostedResponse> {
  // The delete form's own address opened again (it has no provider of its own) leads to the list.
  if (name === 'delete') {
    try {
      await ctx.call('DescribeIdentityProvider', { UserPoolId: poolId, ProviderName: name });
    } catch {
      return seeOther(providersPath(poolId));
    }
  }
  return providerPage(ctx, poolId, name);
}

/**
 * UpdateIdentityProvider from the provider's form: its details laid over the ones it has (so what
 * the form does not edit is kept), a secret left empty kept as it is stored, the mapping and the
 * identifiers as typed.
 */
export async function submitUpdateIdentityProvider(ctx: AdminContext, poolId: string, name: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const stored = await ctx.services.store.identityProviders.get(poolId, name);
  if (!stored) return providerPage(ctx, poolId, name);
  const { values, secrets } = formDetails(ctx, DETAIL_FIELDS[stored.type] ?? []);
  values['AttributeMapping'] = field(ctx, 'AttributeMapping').trim();
  values['IdpIdentifiers'] = field(ctx, 'IdpIdentifiers').trim();
  const details: Record<string, string> = { ...stored.details, ...detailsOf(stored.type, values, secrets) };
  if (stored.type === 'SAML') {
    // The metadata source and sign-out as the form now has them (both sources given are for the operation to refuse).
    for (const key of ['MetadataURL', 'MetadataFile', 'IDPSignout']) if (!values[key] || values[key] === 'false') delete details[key];
  }
  if (stored.type === 'OIDC' && details['oidc_issuer'] !== stored.details['oidc_issuer']) {
    for (const key of OIDC_ENDPOINTS) delete details[key];
  }
  try {
    await ctx.call('UpdateIdentityProvider', {
      UserPoolId: poolId,
      ProviderName: name,
      ProviderDetails: details,
      AttributeMapping: attributeMapping(values['AttributeMapping']),
      IdpIdentifiers: items(values['IdpIdentifiers']),
    });
  } catch (error) {
    return providerPage(ctx, poolId, name, { error: refusal(error), values, status: 400 });
  }
  return seeOther(`${providerPath(poolId, name)}?notice=provider-updated`);
}
