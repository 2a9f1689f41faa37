import { createHash } from 'node:crypto';
import type { HostedResponse } from '../oauth/site.js';
import type { Branding } from './branding.js';
import { html, toHtmlString, trustedHtml, type SafeHtml } from '../lib/html.js';

/**
 * The default look of the pages. Elements carry Cognito's `*-customizable` class names, so CSS set
 * with SetUICustomization (appended after this sheet) restyles them as it would on Cognito.
 */
export const DEFAULT_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:16px}
body{margin:0;min-height:100vh;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#16191f;line-height:1.5}
.background-customizable{background-color:#f2f3f3;display:flex;align-items:flex-start;justify-content:center;padding:48px 16px}
.modal-content{width:100%;max-width:400px;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,28,36,.15),0 4px 16px rgba(0,28,36,.08);overflow:hidden}
.banner-customizable{background-color:#232f3e;padding:20px 24px;text-align:center;color:#fff}
.banner-customizable .app-name{font-size:1.125rem;font-weight:600;letter-spacing:.01em}
.logo-customizable{display:block;max-width:100%;max-height:72px;margin:0 auto}
.modal-body{padding:24px 28px 28px}
h1.textDescription-customizable{font-size:1.125rem;font-weight:600;margin:0 0 16px}
.textDescription-customizable{color:#16191f}
p.textDescription-customizable{margin:0 0 16px;font-size:.9375rem}
.field{margin-bottom:14px}
.label-customizable{display:block;font-size:.875rem;font-weight:600;margin-bottom:4px}
.inputField-customizable{display:block;width:100%;font:inherit;font-size:1rem;padding:9px 12px;border:1px solid #6b7785;border-radius:4px;background:#fff;color:#16191f}
.inputField-customizable:focus{outline:3px solid #0972d3;outline-offset:1px;border-color:#0972d3}
.inputField-customizable[aria-invalid="true"]{border:2px solid #c40f0f;padding:8px 11px}
.field-error{margin:6px 0 0;color:#c40f0f;font-size:.875rem;font-weight:600}
.password-toggle{display:inline-flex;align-items:center;gap:6px;margin-top:6px;font-size:.875rem;cursor:pointer}
.password-toggle input{width:16px;height:16px;margin:0;accent-color:#0972d3}
.submitButton-customizable{display:block;width:100%;font:inherit;font-weight:600;font-size:1rem;margin-top:20px;padding:10px 16px;border:0;border-radius:4px;background-color:#0972d3;color:#fff;cursor:pointer}
.submitButton-customizable:hover{background-color:#033160}
.submitButton-customizable:focus-visible,.idpButton-customizable:focus-visible,.socialButton-customizable:focus-visible,a:focus-visible,.link-button:focus-visible{outline:3px solid #0972d3;outline-offset:2px}
.errorMessage-customizable{margin:0 0 16px;padding:10px 12px;border-left:4px solid #c40f0f;background:#fff7f7;color:#c40f0f;font-size:.9375rem}
.notice{margin:0 0 16px;padding:10px 12px;border-left:4px solid #037f0c;background:#f2fcf3;color:#037f0c;font-size:.9375rem}
.idpDescription-customizable{display:block;font-size:.9375rem;margin:0 0 10px}
.idpButton-customizable,.socialButton-customizable{display:block;width:100%;text-align:center;text-decoration:none;font-weight:600;padding:10px 16px;margin-bottom:10px;border-radius:4px;border:1px solid #0972d3;color:#0972d3;background:#fff}
.idpButton-customizable:hover,.socialButton-customizable:hover{background:#f1f8ff}
.legalText-customizable{color:#5f6b7a;font-size:.75rem;margin:4px 0 0}
.divider{display:flex;align-items:center;gap:12px;color:#5f6b7a;font-size:.875rem;margin:18px 0}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid #d1d5db}
.redirect-customizable{margin:14px 0 0;font-size:.9375rem;text-align:center}
a{color:#0972d3}
a:hover{color:#033160}
.link-button{font:inherit;background:none;border:0;padding:0;color:#0972d3;text-decoration:underline;cursor:pointer}
.password-rules{margin:6px 0 0;padding-left:20px;font-size:.8125rem;color:#5f6b7a}
.passwordCheck-valid-customizable{color:#037f0c}
.passwordCheck-notValid-customizable{color:#d91515}
.inline-form{display:inline}
.choices{border:0;margin:0;padding:0}
.choices legend{padding:0}
.choice{display:flex;align-items:center;gap:8px;padding:6px 0;font-size:1rem;cursor:pointer}
.choice input{width:18px;height:18px;margin:0;accent-color:#0972d3}
.qr-code{display:block;margin:0 auto 12px;image-rendering:pixelated}
.secret-key{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.875rem;word-break:break-all}
.passkey-button{display:block;width:100%;font:inherit;font-weight:600;font-size:1rem;margin-top:12px;padding:10px 16px;border:1px solid #0972d3;border-radius:4px;background:#fff;color:#0972d3;cursor:pointer}
.passkey-button:hover{background:#f1f8ff}
.passkey-button:focus-visible{outline:3px solid #0972d3;outline-offset:2px}
.passkey-status{margin:0 0 16px;font-size:.9375rem}
.passkey-status:empty{display:none}
.skip-form{margin:14px 0 0;text-align:center}
.forgot-link{text-align:left;margin:0}
`;

/**
 * The script of every page with a password: a "Show password" checkbox beside each password input. It is an
 * enhancement only (without JavaScript there is no checkbox and the form works the same), it is
 * inline so that the CSP can name it by hash and allow nothing else, and it adds no handler
 * attribute. The password goes back to being masked before the form is sent, so that password
 * managers still see a password field.
 */
export const PASSWORD_TOGGLE_SCRIPT = `(function () {
  var inputs = document.querySelectorAll('input[type="password"]');
  for (var i = 0; i < inputs.length; i++) addToggle(inputs[i]);
  function addToggle(input) {
    var label = document.createElement('label');
    label.className = 'password-toggle';
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.id = input.id + '_show';
    box.setAttribute('aria-controls', input.id);
    box.addEventListener('change', function () {
      input.type = box.checked ? 'text' : 'password';
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode('Show password'));
    input.insertAdjacentElement('afterend', label);
    if (input.form) {
      input.form.addEventListener('submit', function () {
        input.type = 'password';
        box.checked = false;
      });
    }
  }
})();`;

/** The CSP hashes of the scripts pages have inlined, each computed once. */
const SCRIPT_HASHES = new Map<string, string>();

function scriptHash(script: string): string {
  let hash = SCRIPT_HASHES.get(script);
  if (hash === undefined) {
    hash = createHash('sha256').update(script, 'utf8').digest('base64');
    SCRIPT_HASHES.set(script, hash);
  }
  return hash;
}

/** Only the characters a BCP 47 tag is made of, so `lang` from a query can go into the page. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

export interface PageOptions {
  title: string;
  /** The page's content, inside the card below the banner. */
  body: SafeHtml;
  branding: Branding;
  /** The app client's name, shown in the banner when there is no logo. */
  appName?: string | undefined;
  /** The `lang` request parameter, when valid. */
  lang?: string | undefined;
  status?: number;
  /** `Set-Cookie` values to send with the page. */
  cookies?: readonly string[];
  /**
   * Scripts of the page besides the password toggle, inlined and allowed by the CSP by hash, as
   * the toggle is: fixed texts of the code base, never built from a request.
   */
  scripts?: readonly string[];
  /**
   * Where the page's forms may lead besides this site: the redirect URI a successful sign-in
   * redirects to (CSP `form-action` also governs the redirects after a form post).
   */
  formTargets?: readonly string[];
}

/** A CSS value that cannot close the `<style>` element it is inlined in. */
function styleText(css: string): string {
  return css.replace(/</g, '\\3c ');
}

/** The CSP source a redirect target needs: its origin, or its scheme for custom-scheme apps. */
function formSource(target: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? url.protocol : undefined;
}

/**
 * The headers every page is sent with: a CSP that allows only the page's own inline style and
 * inline scripts (the password toggle on a page with a password input, the passkey ceremony on a
 * passkey page), all by hash (no other script, no handler attribute), no framing (clickjacking), no MIME sniffing, no Referer (codes and state in URLs must
 * not leak to other sites) and no caching.
 */
export function pageHeaders(
  styleHash: string | readonly string[],
  formTargets: readonly string[] = [],
  scriptHashes: readonly string[] = [],
): Record<string, string> {
  const forms = ["'self'", ...new Set(formTargets.map(formSource).filter((s): s is string => s !== undefined))];
  const csp = [
    "default-src 'none'",
    ...(scriptHashes.length > 0 ? [`script-src ${scriptHashes.map((hash) => `'sha256-${hash}'`).join(' ')}`] : []),
    `style-src ${(typeof styleHash === 'string' ? [styleHash] : styleHash).map((hash) => `'sha256-${hash}'`).join(' ')}`,
    "img-src 'self' data: https:",
    `form-action ${forms.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  };
}

/** The style sheet of a page with this branding: the default look, then the branding's CSS (safe to inline in `<style>`). */
export function pageCss(branding: Branding): string {
  return styleText(DEFAULT_CSS + (branding.css ? `\n${branding.css}\n` : ''));
}

/** The banner of a page: the branding's logo (with its dark mode variant), else the app's name. */
export function pageBanner(branding: Branding, appName: string | undefined): SafeHtml {
  const { logoUrl, darkLogoUrl } = branding;
  const logo = logoUrl ? html`<img class="logo-customizable" src="${logoUrl}" alt="${appName ?? 'Logo'}" />` : undefined;
  return logo
    ? darkLogoUrl
      ? html`<picture
          ><source media="(prefers-color-scheme: dark)" srcset="${darkLogoUrl}" />
          ${logo}</picture
        >`
      : logo
    : html`<span class="app-name">${appName ?? 'Sign in'}</span>`;
}

/** A whole managed-login page: shell, default and branding CSS, banner, the given content. */
export function renderPage(options: PageOptions): HostedResponse {
  const css = pageCss(options.branding);
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  // Built apart from the template so that no formatting can alter the text the hash covers.
  const style = trustedHtml(`<style>${css}</style>`);
  const lang = options.lang !== undefined && LANGUAGE_TAG.test(options.lang) ? options.lang : 'en';
  const { faviconUrl } = options.branding;
  const banner = pageBanner(options.branding, options.appName);
  const icon = faviconUrl ? html`<link rel="icon" href="${faviconUrl}" />` : html``;
  // Only a page with a password input has a use for the toggle (and a CSP that allows it).
  const withToggle = toHtmlString(options.body).includes('type="password"');
  const scripts = [...(withToggle ? [PASSWORD_TOGGLE_SCRIPT] : []), ...(options.scripts ?? [])];
  const script = trustedHtml(scripts.map((text) => `<script>${text}</script>`).join(''));
  const page = html`<!DOCTYPE html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title}</title>
        ${icon} ${style}
      </head>
      <body class="background-customizable">
        <main class="modal-content">
          <div class="banner-customizable">${banner}</div>
          <div class="modal-body">${options.body}</div>
        </main>
        ${script}
      </body>
    </html> `;
  const headers: Record<string, string | string[]> = pageHeaders(hash, options.formTargets, scripts.map(scriptHash));
  if (options.cookies && options.cookies.length > 0) headers['set-cookie'] = [...options.cookies];
  return { status: options.status ?? 200, headers, body: toHtmlString(page) };
}
