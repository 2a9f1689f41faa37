import type { HostedResponse } from '../oauth/site.js';
import type { ManagedLoginBrandingType, UserPoolClientType } from '../generated/cognito-idp/shapes.js';
import { html } from '../lib/html.js';
import { isError } from '../pages/common.js';
import { mergeSettings, settingAt } from '../domain/managed-login-branding.js';
import { CSRF_FIELD } from '../pages/csrf.js';
import { buttonForm, consoleForm, consolePage, noticeLine, selectField, textField, timestamp } from './layout.js';
import { brandingPreview } from './branding-preview.js';
import { csrfPassed, field, forbidden, isMissing, missingPage, poolPath, refusal, seeOther, type AdminContext } from './context.js';

/** The style's settings the form edits, each at its path in the Settings document (light mode; the rest stays as it is). */
const FIELDS: readonly { name: string; label: string; path: readonly string[]; kind: 'color' | 'number' }[] = [
  {
    name: 'pageBackground',
    label: 'Page background (rrggbbaa)',
    path: ['components', 'pageBackground', 'lightMode', 'color'],
    kind: 'color',
  },
  {
    name: 'buttonBackground',
    label: 'Button colour (rrggbbaa)',
    path: ['components', 'primaryButton', 'lightMode', 'defaults', 'backgroundColor'],
    kind: 'color',
  },
  {
    name: 'buttonText',
    label: 'Button text colour (rrggbbaa)',
    path: ['components', 'primaryButton', 'lightMode', 'defaults', 'textColor'],
    kind: 'color',
  },
  { name: 'buttonRadius', label: 'Button corner radius (px)', path: ['componentClasses', 'buttons', 'borderRadius'], kind: 'number' },
];
const SCHEME_PATH = ['categories', 'global', 'colorSchemeMode'] as const;
const SCHEMES = ['LIGHT', 'DARK', 'DYNAMIC'];

const NOTICES: Readonly<Record<string, string>> = {
  'style-saved': 'Style saved. The managed login shows it from the next page load.',
  'style-reset': "Style set to Cognito's own look.",
  'style-deleted': 'Style deleted.',
  'image-uploaded': 'Image uploaded. The managed login shows it from the next page load.',
};

/** The images a style may have (AssetCategoryType), the colour modes, and the file types by the ends of their names. */
const CATEGORIES = [
  'FORM_LOGO',
  'PAGE_HEADER_LOGO',
  'PAGE_BACKGROUND',
  'PAGE_FOOTER_LOGO',
  'PAGE_HEADER_BACKGROUND',
  'PAGE_FOOTER_BACKGROUND',
  'FORM_BACKGROUND',
  'FAVICON_ICO',
  'FAVICON_SVG',
  'EMAIL_GRAPHIC',
  'SMS_GRAPHIC',
  'AUTH_APP_GRAPHIC',
  'PASSWORD_GRAPHIC',
  'PASSKEY_GRAPHIC',
  'IDP_BUTTON_ICON',
];
const COLOR_MODES = ['LIGHT', 'DARK', 'DYNAMIC'];
const EXTENSIONS: Readonly<Record<string, string>> = { png: 'PNG', svg: 'SVG', jpg: 'JPEG', jpeg: 'JPEG', ico: 'ICO', webp: 'WEBP' };

/** The console path of an app client's style. */
export function brandingPath(poolId: string, clientId: string): string {
  return `${poolPath(poolId)}/clients/${encodeURIComponent(clientId)}/branding`;
}

interface BrandingView {
  error?: string;
  /** The upload form's refusal. */
  uploadError?: string;
  /** The unsaved settings of the style form, shown in the preview instead of the saved ones. */
  previewSettings?: Record<string, unknown>;
  /** What the operation refused to Cognito's look or delete. */
  actionError?: string;
  /** What the refused form held, so it is not typed again. */
  values?: Record<string, string>;
  status?: number;
}

/** A setting's value as the form shows it; '' when the style has none. */
function shown(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The managed login's sign-in page for the client (the first callback URL), where the style is seen as users see it. */
function previewUrl(poolId: string, client: UserPoolClientType): string | undefined {
  const callback = client.CallbackURLs?.[0];
  if (callback === undefined || client.AllowedOAuthFlowsUserPoolClient !== true) return undefined;
  const query = new URLSearchParams({
    client_id: client.ClientId ?? '',
    response_type: client.AllowedOAuthFlows?.includes('code') === false ? 'token' : 'code',
    redirect_uri: callback,
  });
  return `/${encodeURIComponent(poolId)}/oauth2/authorize?${query.toString()}`;
}

/** An app client's managed login style: its main colours and shape, Cognito's look, deleting it, and the page it styles. */
async function brandingPage(ctx: AdminContext, poolId: string, clientId: string, view: BrandingView = {}): Promise<HostedResponse> {
  let client: UserPoolClientType;
  try {
    client = (await ctx.call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId }))['UserPoolClient'] as UserPoolClientType;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return missingPage(ctx, 'No such app client', error, { href: poolPath(poolId), label: "The pool's page" });
  }
  let branding: ManagedLoginBrandingType | undefined;
  try {
    const described = await ctx.call('DescribeManagedLoginBrandingByClient', { UserPoolId: poolId, ClientId: clientId });
    branding = described['ManagedLoginBranding'] as ManagedLoginBrandingType;
  } catch (error) {
    if (!isError(error, 'ResourceNotFoundException')) throw error;
  }
  const settings = (branding?.Settings ?? {}) as Record<string, unknown>;
  const values = view.values ?? {
    colorSchemeMode: shown(settingAt(settings, SCHEME_PATH)),
    ...Object.fromEntries(FIELDS.map((f) => [f.name, shown(settingAt(settings, f.path))])),
  };
  const path = brandingPath(poolId, clientId);
  const csrf = ctx.csrf.token;
  const invalid = view.error !== undefined;
  const preview = previewUrl(poolId, client);
  const name = client.ClientName ?? clientId;
  const drawn = brandingPreview(
    poolId,
    name,
    branding,
    view.previewSettings === undefined ? undefined : mergeSettings(structuredClone(settings), view.previewSettings),
  );
  const assets = (branding?.Assets ?? []).map((asset) => `${asset.Category} (${asset.ColorMode}, ${asset.Extension})`);
  const state =
    branding === undefined
      ? 'No style: the managed login has its default look.'
      : branding.UseCognitoProvidedValues
        ? "Cognito's own look."
        : `A style of its own, changed ${timestamp(branding.LastModifiedDate)}.`;
  return consolePage({
    title: `Style of ${name}`,
    status: view.status ?? 200,
    signOutToken: csrf,
    styles: [drawn.css],
    body: html`<p><a href="${poolPath(poolId)}">The pool's page</a></p>
      <h1>Managed login style of ${name}</h1>
      ${noticeLine(NOTICES[ctx.query.get('notice') ?? ''])}
      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview</h2>
        <p>${state}</p>
        ${
          view.previewSettings === undefined
            ? ''
            : html`<p class="notice" role="status">Previewing the form's values: they are not saved yet.</p>`
        }
        ${drawn.markup}
        ${
          preview
            ? html`<p>
                <a href="${preview}" target="_blank" rel="noopener" id="preview">Open the sign-in page as users see it</a> (in a new tab;
                reload it after saving).
              </p>`
            : html`<p class="muted">The client has no callback URL for the managed login, so there is no real page to open.</p>`
        }
      </section>
      <section aria-labelledby="style-heading">
        <h2 id="style-heading">Style</h2>
        <p class="muted">
          Colours are eight hex digits (red, green, blue, opacity), as in Cognito's branding settings. An empty field keeps what the style
          has.
        </p>
        ${consoleForm({
          action: path,
          csrf,
          id: 'save-style',
          button: 'Save style',
          error: view.error,
          fields: html`${branding ? html`<input type="hidden" name="ManagedLoginBrandingId" value="${branding.ManagedLoginBrandingId ?? ''}" />` : ''}
            ${selectField({ id: 'colorSchemeMode', name: 'colorSchemeMode', label: 'Colour scheme', choices: SCHEMES, value: values['colorSchemeMode'] })}
            ${FIELDS.map((f) =>
              textField({
                id: f.name,
                name: f.name,
                label: f.label,
                value: values[f.name],
                type: f.kind === 'number' ? 'number' : 'text',
                invalid,
              }),
            )} <button type="submit" class="secondary" formaction="${path}/preview">Preview</button>`,
        })}
        <div id="style-actions" class="actions">
          ${buttonForm({ action: `${path}/reset`, csrf, label: "Use Cognito's look", hidden: branding ? { ManagedLoginBrandingId: branding.ManagedLoginBrandingId ?? '' } : {} })}
          ${branding ? buttonForm({ action: `${path}/delete`, csrf, label: 'Delete style', hidden: { ManagedLoginBrandingId: branding.ManagedLoginBrandingId ?? '' } }) : ''}
          ${view.actionError !== undefined ? html`<p class="error" role="alert">${view.actionError}</p>` : ''}
        </div>
      </section>
      <section aria-labelledby="images-heading">
        <h2 id="images-heading">Images</h2>
        <p>${assets.length === 0 ? 'No image yet.' : `Images: ${assets.join(', ')}.`}</p>
        <p class="muted">
          A PNG, SVG, JPEG, ICO or WEBP file of up to 1,000,000 bytes. It replaces the style's image of its kind and colour mode.
        </p>
        <form
          method="post"
          action="${path}/assets"
          enctype="multipart/form-data"
          id="upload-image"
          ${view.uploadError !== undefined ? html` aria-describedby="upload-image-error"` : ''}
        >
          <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />
          ${branding ? html`<input type="hidden" name="ManagedLoginBrandingId" value="${branding.ManagedLoginBrandingId ?? ''}" />` : ''}
          <div class="fields">
            ${selectField({ id: 'assetCategory', name: 'Category', label: 'Kind of image', choices: CATEGORIES, value: 'FORM_LOGO' })}
            ${selectField({ id: 'assetColorMode', name: 'ColorMode', label: 'Colour mode', choices: COLOR_MODES, value: 'LIGHT' })}
            <div class="field">
              <label for="assetFile">Image file</label>
              <input id="assetFile" name="Bytes" type="file" accept=".png,.svg,.jpg,.jpeg,.ico,.webp" />
            </div>
            <button type="submit">Upload image</button>
          </div>
          ${view.uploadError !== undefined ? html`<p class="error" role="alert" id="upload-image-error">${view.uploadError}</p>` : ''}
        </form>
      </section>`,
  });
}

export async function showBranding(ctx: AdminContext, poolId: string, clientId: string): Promise<HostedResponse> {
  return brandingPage(ctx, poolId, clientId);
}

/** The Settings document of the form's non-empty fields. */
function formSettings(values: Readonly<Record<string, string>>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const put = (path: readonly string[], value: unknown): void => {
    let node = settings;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = value;
  };
  if (values['colorSchemeMode']) put(SCHEME_PATH, values['colorSchemeMode']);
  for (const f of FIELDS) {
    const value = values[f.name] ?? '';
    if (value === '') continue;
    // A whole number as a number, `#rrggbb` as Cognito's `rrggbbff`; anything else as typed, for the operation to judge.
    if (f.kind === 'number') put(f.path, /^\d+$/.test(value) ? Number(value) : value);
    else put(f.path, /^#?[0-9a-fA-F]{6}$/.test(value) ? `${value.replace('#', '')}ff` : value.replace(/^#/, ''));
  }
  return settings;
}

/** Creates the client's style, or updates the one the page showed (its ID a hidden field); the refusal beside the form. */
export async function submitSaveBranding(ctx: AdminContext, poolId: string, clientId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = styleValues(ctx);
  const id = field(ctx, 'ManagedLoginBrandingId');
  const settings = formSettings(values);
  try {
    if (id === '') await ctx.call('CreateManagedLoginBranding', { UserPoolId: poolId, ClientId: clientId, Settings: settings });
    else await ctx.call('UpdateManagedLoginBranding', { UserPoolId: poolId, ManagedLoginBrandingId: id, Settings: settings });
  } catch (error) {
    return brandingPage(ctx, poolId, clientId, { error: refusal(error), values, status: 400 });
  }
  return seeOther(`${brandingPath(poolId, clientId)}?notice=style-saved`);
}

/** The style form's values, trimmed. */
function styleValues(ctx: AdminContext): Record<string, string> {
  return Object.fromEntries(['colorSchemeMode', ...FIELDS.map((f) => f.name)].map((name) => [name, field(ctx, name).trim()]));
}

/** The page again with the style form's values in the preview, nothing saved. */
export async function submitPreviewBranding(ctx: AdminContext, poolId: string, clientId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const values = styleValues(ctx);
  return brandingPage(ctx, poolId, clientId, { values, previewSettings: formSettings(values) });
}

/**
 * Adds the uploaded image to the client's style (UpdateManagedLoginBranding, which replaces the
 * image of its category and colour mode; a client without a style gets one of it), its Extension
 * read from the file's name. The operation checks the bytes: their size and that they are an image
 * of that type.
 */
export async function submitUploadAsset(ctx: AdminContext, poolId: string, clientId: string): Promise<HostedResponse> {
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const file = ctx.files.get('Bytes');
  const extension = EXTENSIONS[/\.([A-Za-z]+)$/.exec(file?.name ?? '')?.[1]?.toLowerCase() ?? ''];
  if (!file || extension === undefined) {
    return brandingPage(ctx, poolId, clientId, { uploadError: 'Choose a PNG, SVG, JPEG, ICO or WEBP file.', status: 400 });
  }
  const asset = {
    Category: field(ctx, 'Category'),
    ColorMode: field(ctx, 'ColorMode'),
    Extension: extension,
    Bytes: file.bytes.toString('base64'),
  };
  const id = field(ctx, 'ManagedLoginBrandingId');
  try {
    if (id === '') await ctx.call('CreateManagedLoginBranding', { UserPoolId: poolId, ClientId: clientId, Settings: {}, Assets: [asset] });
    else await ctx.call('UpdateManagedLoginBranding', { UserPoolId: poolId, ManagedLoginBrandingId: id, Assets: [asset] });
  } catch (error) {
    return brandingPage(ctx, poolId, clientId, { uploadError: refusal(error), status: 400 });
  }
  return seeOther(`${brandingPath(poolId, clientId)}?notice=image-uploaded`);
}

/** Sets the style to Cognito's own look (a new style of it, or the one shown reset) or deletes the style. */
export async function submitBrandingAction(
  ctx: AdminContext,
  poolId: string,
  clientId: string,
  action: string,
): Promise<HostedResponse | undefined> {
  if (action !== 'reset' && action !== 'delete') return undefined;
  if (!csrfPassed(ctx)) return forbidden(ctx);
  const id = field(ctx, 'ManagedLoginBrandingId');
  try {
    if (action === 'delete') await ctx.call('DeleteManagedLoginBranding', { UserPoolId: poolId, ManagedLoginBrandingId: id });
    else if (id === '')
      await ctx.call('CreateManagedLoginBranding', { UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true });
    else await ctx.call('UpdateManagedLoginBranding', { UserPoolId: poolId, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true });
  } catch (error) {
    return brandingPage(ctx, poolId, clientId, { actionError: refusal(error), status: 400 });
  }
  return seeOther(`${brandingPath(poolId, clientId)}?notice=style-${action === 'delete' ? 'deleted' : 'reset'}`);
}
