import { createHash } from 'node:crypto';
import type { ManagedLoginBrandingType } from '../generated/cognito-idp/shapes.js';
import type { ManagedLoginAssetRecord } from '../store/ports.js';
import { html, trustedHtml, type SafeHtml } from '../lib/html.js';
import { managedLoginAssetPath } from '../oauth/managed-login-asset.js';
import { styleBranding } from '../pages/branding.js';
import { pageBanner, pageCss } from '../pages/layout.js';
import { inputField, submitButton } from '../pages/common.js';
import { signInTexts } from '../pages/sign-in-texts.js';

/** The preview: its markup (the card in a shadow root of its own) and the text of its `<style>`, for the CSP. */
export interface BrandingPreview {
  markup: SafeHtml;
  css: string;
}

/**
 * The managed login's sheet for a shadow root: `html` is the host and `body` the preview's page
 * (the real pages' body carries `background-customizable`, which the preview's page does too). The
 * host starts from initial values, so that nothing of the console's look reaches in.
 */
function shadowCss(css: string): string {
  const scoped = css.replace(/(^|[\n},])html(?=[{,])/g, '$1:host').replace(/(^|[\n},])body(?=[{,])/g, '$1.preview-page');
  return `:host{all:initial;display:block}\n${scoped}\n.preview-page{min-height:0;border-radius:8px}`;
}

/**
 * A style's sign-in page, drawn in the console with the managed login's own sheet, banner and
 * fields: the style's settings (or the unsaved ones of the form) turned into CSS as the managed
 * login turns them, its images from the pool's site (the managed login's asset endpoint, by path).
 * It sits in a declarative shadow root, so its sheet and the console's do not meet, and is inert:
 * nothing in it can be focused or sent.
 */
export function brandingPreview(
  poolId: string,
  appName: string,
  branding: ManagedLoginBrandingType | undefined,
  settings: Record<string, unknown> | undefined,
): BrandingPreview {
  const assets: ManagedLoginAssetRecord[] = (branding?.Assets ?? []).map((asset) => ({
    category: asset.Category,
    colorMode: asset.ColorMode,
    extension: asset.Extension,
    resourceId: asset.ResourceId ?? null,
    digest: createHash('sha256')
      .update(Buffer.from(asset.Bytes ?? '', 'base64'))
      .digest('hex')
      .slice(0, 32),
  }));
  const style = {
    useCognitoProvidedValues: settings === undefined && branding?.UseCognitoProvidedValues === true,
    settings: settings ?? ((branding?.Settings ?? null) as Record<string, unknown> | null),
    assets,
  };
  const id = branding?.ManagedLoginBrandingId ?? '';
  const look = styleBranding(style, (asset) => `/${encodeURIComponent(poolId)}${managedLoginAssetPath(id, asset)}`);
  const css = shadowCss(pageCss(look));
  const texts = signInTexts('en');
  const card = html`<div class="preview-page background-customizable">
    <div class="modal-content">
      <div class="banner-customizable">${pageBanner(look, appName)}</div>
      <div class="modal-body">
        <h1 class="textDescription-customizable">${texts.headings.username}</h1>
        ${inputField({ id: 'previewUsername', name: 'username', label: texts.labels.username, autocomplete: 'off', required: false })}
        ${inputField({ id: 'previewPassword', name: 'password', label: texts.password, type: 'password', autocomplete: 'off', required: false })}
        <p class="redirect-customizable forgot-link"><a href="#preview-heading">${texts.forgotPassword}</a></p>
        ${submitButton(texts.submit, 'previewSubmit')}
        <p class="redirect-customizable">
          <span class="textDescription-customizable">${texts.needAccount}</span> <a href="#preview-heading">${texts.signUp}</a>
        </p>
      </div>
    </div>
  </div>`;
  // Built apart from the template so that no formatting can alter the text the CSP's hash covers.
  const sheet = trustedHtml(`<style>${css}</style>`);
  return {
    markup: html`<div id="login-preview" inert>
      <template shadowrootmode="open">${sheet}${card}</template>
    </div>`,
    css,
  };
}
