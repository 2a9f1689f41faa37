import { createHash } from 'node:crypto';
import type { HostedResponse } from '../oauth/site.js';
import { html, toHtmlString, trustedHtml, type HtmlValue, type SafeHtml } from '../lib/html.js';
import { pageHeaders } from '../pages/layout.js';
import { CSRF_FIELD } from '../pages/csrf.js';
import { CONSOLE_PATH } from './session.js';

/** The console's look: plain, readable, wide enough for tables; no script at all. */
const CONSOLE_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#16191f;background:#f2f3f3;line-height:1.5}
header{background:#232f3e;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:24px}
header a{color:#fff;font-weight:600;text-decoration:none}
header a:hover{text-decoration:underline}
header nav{display:flex;gap:16px}
header nav a{font-weight:400}
header form{margin-left:auto}
header button{font:inherit;background:none;border:1px solid #fff;border-radius:4px;color:#fff;padding:4px 12px;cursor:pointer}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.5rem;margin:0 0 16px}
h2{font-size:1.125rem;margin:0 0 12px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,28,36,.15);padding:20px 24px;margin-bottom:20px}
table{border-collapse:collapse;width:100%;margin-bottom:16px;font-size:.9375rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d1d5db;vertical-align:top}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{font-weight:600}
dd{margin:0;word-break:break-all}
form.inline{display:inline}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:12px}
.fields{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end}
.field{display:flex;flex-direction:column;gap:4px}
label{font-size:.875rem;font-weight:600}
input[type=text],input[type=password],input[type=search],input[type=number],select,textarea{font:inherit;padding:6px 10px;border:1px solid #6b7785;border-radius:4px;min-width:220px}
input.wide{min-width:440px}
textarea{min-width:440px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8125rem}
input[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid #c40f0f}
fieldset{border:0;margin:0;padding:0}
legend{font-size:.875rem;font-weight:600;padding:0}
.check{display:inline-flex;gap:6px;align-items:center;font-weight:400;margin-right:12px}
button{font:inherit;padding:6px 14px;border:0;border-radius:4px;background:#0972d3;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0972d3;border:1px solid #0972d3;padding:3px 10px}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #0972d3;outline-offset:2px}
a{color:#0656a8}
.error{margin:8px 0 0;padding:8px 12px;border-left:4px solid #c40f0f;background:#fff7f7;color:#c40f0f}
.notice{margin:0 0 16px;padding:8px 12px;border-left:4px solid #037f0c;background:#f2fcf3;color:#037f0c}
.secret{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.muted{color:#5f6b7a}
.sign-in{max-width:420px;margin:48px auto}
.sign-in .field{margin-bottom:12px}
.sign-in input{width:100%}
`;

const STYLE_HASH = createHash('sha256').update(CONSOLE_CSS, 'utf8').digest('base64');

/** A whole console page: the bar (with sign-out when signed in) and the content; CSP without any script. */
export function consolePage(options: {
  title: string;
  body: HtmlValue;
  status?: number;
  cookies?: readonly string[];
  /** The CSRF token of the sign-out form; absent when nobody is signed in. */
  signOutToken?: string | undefined;
  /** The texts of `<style>` elements in the body (a preview's, in its shadow root), allowed by the CSP by hash. */
  styles?: readonly string[];
}): HostedResponse {
  const signOut =
    options.signOutToken === undefined
      ? ''
      : html`<form method="post" action="${CONSOLE_PATH}/sign-out">
          <input type="hidden" name="${CSRF_FIELD}" value="${options.signOutToken}" /><button type="submit">Sign out</button>
        </form>`;
  const page = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${options.title} · Cognate console</title>
        ${trustedHtml(`<style>${CONSOLE_CSS}</style>`)}
      </head>
      <body>
        <header>
          <a href="${CONSOLE_PATH}/pools">Cognate console</a>
          ${
            options.signOutToken === undefined
              ? ''
              : html`<nav aria-label="Console">
                  <a href="${CONSOLE_PATH}/pools">User pools</a><a href="${CONSOLE_PATH}/identity-pools">Identity pools</a>
                </nav>`
          }
          ${signOut}
        </header>
        <main>${options.body}</main>
      </body>
    </html>`;
  // Same-origin rather than no-referrer: under no-referrer browsers post forms with `Origin: null`,
  // which the `/_cognate/` origin check must refuse; the console's URLs never leave its origin.
  const hashes = [STYLE_HASH, ...(options.styles ?? []).map((css) => createHash('sha256').update(css, 'utf8').digest('base64'))];
  const headers: Record<string, string | string[]> = { ...pageHeaders(hashes), 'referrer-policy': 'same-origin' };
  if (options.cookies && options.cookies.length > 0) headers['set-cookie'] = [...options.cookies];
  return { status: options.status ?? 200, headers, body: toHtmlString(page) };
}

/** A form of the console: posts to `action` with the CSRF token, its fields, its button, and its error beside it. */
export function consoleForm(options: {
  action: string;
  csrf: string;
  fields: HtmlValue;
  button: string;
  /** The operation's own message when this form was just refused. */
  error?: string | undefined;
  id?: string;
  className?: string;
}): SafeHtml {
  const errorId = options.id === undefined ? undefined : `${options.id}-error`;
  return html`<form
    method="post"
    action="${options.action}"
    ${options.id ? html` id="${options.id}"` : ''}${
      options.className ? html` class="${options.className}"` : ''
    }${options.error !== undefined && errorId ? html` aria-describedby="${errorId}"` : ''}
  >
    <input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}" />
    <div class="fields">${options.fields}<button type="submit">${options.button}</button></div>
    ${options.error !== undefined ? html`<p class="error" role="alert" ${errorId ? html` id="${errorId}"` : ''}>${options.error}</p>` : ''}
  </form>`;
}

/** A labelled text input of a console form. */
export function textField(options: {
  id: string;
  name: string;
  label: string;
  value?: string | undefined;
  type?: 'text' | 'password' | 'search' | 'number';
  invalid?: boolean;
  autocomplete?: string;
  /** For long values such as ARNs and URLs. */
  wide?: boolean;
}): SafeHtml {
  return html`<div class="field">
    <label for="${options.id}">${options.label}</label>
    <input
      id="${options.id}"
      name="${options.name}"
      type="${options.type ?? 'text'}"
      ${options.wide ? html` class="wide"` : ''}
      ${options.value ? html` value="${options.value}"` : ''}${options.invalid ? html` aria-invalid="true"` : ''}
      autocomplete="${options.autocomplete ?? 'off'}"
      spellcheck="false"
    />
  </div>`;
}

/** A labelled multi-line input of a console form (metadata documents, keys, JSON). */
export function textAreaField(options: {
  id: string;
  name: string;
  label: string;
  value?: string | undefined;
  invalid?: boolean;
  rows?: number;
}): SafeHtml {
  return html`<div class="field">
    <label for="${options.id}">${options.label}</label>
    <textarea
      id="${options.id}"
      name="${options.name}"
      rows="${options.rows ?? 4}"
      ${options.invalid ? html` aria-invalid="true"` : ''}
      autocomplete="off"
      spellcheck="false"
    >
${options.value ?? ''}</textarea>
  </div>`;
}

/** A labelled checkbox of a console form, sending `true` when checked. */
export function checkField(options: { name: string; label: string; checked: boolean }): SafeHtml {
  return html`<label class="check"
    ><input type="checkbox" name="${options.name}" value="true" ${options.checked ? html` checked` : ''} />${options.label}</label
  >`;
}

/** The notice a change left (named by the redirect's query), or nothing. */
export function noticeLine(notice: string | undefined): SafeHtml | '' {
  return notice ? html`<p class="notice" role="status">${notice}</p>` : '';
}

/** A form of one button acting on one thing (its hidden fields say which), for a table row or an action bar. */
export function buttonForm(options: {
  action: string;
  csrf: string;
  label: string;
  /** The button's accessible name when the label alone is ambiguous (such as "Delete ann"). */
  name?: string;
  hidden?: Readonly<Record<string, string>>;
}): SafeHtml {
  return html`<form method="post" action="${options.action}" class="inline">
    <input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}" />${Object.entries(options.hidden ?? {}).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
    )}
    <button type="submit" class="secondary" ${options.name ? html` aria-label="${options.name}"` : ''}>${options.label}</button>
  </form>`;
}

/** A labelled choice of a console form. */
export function selectField(options: {
  id: string;
  name: string;
  label: string;
  choices: readonly string[];
  value?: string | undefined;
}): SafeHtml {
  return html`<div class="field">
    <label for="${options.id}">${options.label}</label>
    <select id="${options.id}" name="${options.name}">
      ${options.choices.map((choice) => html`<option value="${choice}" ${choice === options.value ? html` selected` : ''}>${choice}</option>`)}
    </select>
  </div>`;
}

/** An operation's timestamp (epoch seconds, as the API sends them, or a Date) in ISO form; '' when absent. */
export function timestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'number' ? new Date(value * 1000).toISOString() : '';
}

/** A table of rows under column headings, or the `empty` sentence when there is no row. */
export function dataTable(headings: readonly string[], rows: readonly SafeHtml[], empty: string, caption?: string): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    ${
      caption
        ? html`<caption class="muted">
            ${caption}
          </caption>`
        : ''
    }
    <thead>
      <tr>
        ${headings.map((heading) => html`<th scope="col">${heading}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
