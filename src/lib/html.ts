/**
 * Server-rendered HTML with escaping by default: every value interpolated into an {@link html}
 * template is escaped, unless it is itself the result of `html` (a fragment already made safe).
 * Escaping covers text and quoted attribute values alike (`& < > " '` and the backtick), so one
 * rule serves both; attribute values must still be written in quotes.
 */

const SAFE = Symbol('safe-html');

/** A fragment of HTML that is safe to insert as is: only {@link html} and {@link join} make one. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

/** What may be interpolated: text (escaped), numbers, safe fragments, lists of these; nothing for null, undefined or false. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function safe(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as Partial<SafeHtml>)[SAFE] === true;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  // `true` renders nothing: it is the result of a `cond && html`...`` that chose no fragment.
  if (value === true) return '';
  return escapeHtml(String(value));
}

/** The template tag: literal parts are trusted markup, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return safe(out);
}

/** Joins fragments (each escaped unless safe) with a safe separator. */
export function join(values: readonly HtmlValue[], separator: SafeHtml = safe('')): SafeHtml {
  return safe(values.map(render).join(separator.value));
}

/**
 * Marks text the server itself made safe for where it goes (an inline style sheet already
 * neutralised against `</style>`) as a fragment. Never for anything a request carried.
 */
export function trustedHtml(value: string): SafeHtml {
  return safe(value);
}

/** The document text of a fragment. */
export function toHtmlString(fragment: SafeHtml): string {
  return fragment.value;
}
