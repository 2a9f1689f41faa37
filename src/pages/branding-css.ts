/**
 * The CSS that SetUICustomization accepts. Cognito lets it style only the managed login's
 * `*-customizable` classes and refuses at-rules and JavaScript; this checker holds it to that, and
 * further to what can go into a `<style>` element of our pages without harm: no markup, no escapes
 * that could hide a keyword, no function that loads a resource from anywhere.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html
 */

/** Cognito's list of the selectors classic branding may style, each on its own. */
export const CUSTOMIZABLE_SELECTORS: ReadonlySet<string> = new Set([
  '.background-customizable',
  '.banner-customizable',
  '.errorMessage-customizable',
  '.idpButton-customizable',
  '.idpButton-customizable:hover',
  '.idpDescription-customizable',
  '.inputField-customizable',
  '.inputField-customizable:focus',
  '.label-customizable',
  '.legalText-customizable',
  '.logo-customizable',
  '.passwordCheck-valid-customizable',
  '.passwordCheck-notValid-customizable',
  '.redirect-customizable',
  '.socialButton-customizable',
  '.submitButton-customizable',
  '.submitButton-customizable:hover',
  '.textDescription-customizable',
]);

/**
 * Functions a value may call: colours, arithmetic, gradients, transforms and custom properties.
 * None of them fetches anything; `url()` is checked on its own (data:image only), and `image-set()`,
 * `image()`, `expression()` and every other function are refused.
 */
const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'color',
  'color-mix',
  'calc',
  'min',
  'max',
  'clamp',
  'var',
  'linear-gradient',
  'radial-gradient',
  'conic-gradient',
  'repeating-linear-gradient',
  'repeating-radial-gradient',
  'repeating-conic-gradient',
  'cubic-bezier',
  'steps',
  'matrix',
  'translate',
  'translatex',
  'translatey',
  'scale',
  'scalex',
  'scaley',
  'rotate',
  'skew',
  'skewx',
  'skewy',
]);

/** Properties that run code in old browsers (IE's `behavior`, Firefox's XBL `-moz-binding`). */
const SCRIPT_PROPERTIES: ReadonlySet<string> = new Set(['behavior', '-moz-binding']);

/** The only `url()` allowed: an inline raster image, which loads nothing from anywhere. */
const DATA_IMAGE_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;

const PROPERTY = /^-{0,2}[a-zA-Z][a-zA-Z0-9-]*$/;

/** What a value may hold once strings and `url()` arguments are taken out. */
const VALUE_CHARS = /^[\w\s#%.,()+*/!-]*$/;

/** Thrown for CSS that SetUICustomization must refuse; the message is the one the caller sees. */
export class CssRejected extends Error {}

function reject(reason: string): never {
  throw new CssRejected(reason);
}

/**
 * The text with every comment replaced by a space, read as a browser tokenizes it: `/*` inside a
 * string starts no comment, so a string cannot hide a rule from this checker that the browser
 * would then apply. A string that runs into a line break is refused (CSS would end it there).
 */
function withoutComments(css: string): string {
  let out = '';
  let at = 0;
  while (at < css.length) {
    const ch = css[at] ?? '';
    if (ch === '"' || ch === "'") {
      const end = css.indexOf(ch, at + 1);
      if (end < 0 || /[\n\r\f]/.test(css.slice(at + 1, end))) reject('CSS contains a string that is not closed.');
      out += css.slice(at, end + 1);
      at = end + 1;
    } else if (ch === '/' && css[at + 1] === '*') {
      const close = css.indexOf('*/', at + 2);
      if (close < 0) reject('CSS contains an unterminated comment.');
      out += ' ';
      at = close + 2;
    } else {
      out += ch;
      at++;
    }
  }
  return out;
}

/** Splits `text` on `separator` where it is outside quotes and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\n' || ch === '\r' || ch === '\f') reject('CSS contains a string that is not closed.');
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      if (--depth < 0) reject('CSS contains an unbalanced parenthesis.');
    } else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== undefined) reject('CSS contains a string that is not closed.');
  if (depth !== 0) reject('CSS contains an unbalanced parenthesis.');
  parts.push(text.slice(start));
  return parts;
}

/** `url(...)` with its argument: quoted either way, or bare. */
const URL_CALL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^"')\s]*))\s*\)/gi;

function checkValue(property: string, rawValue: string): void {
  const value = rawValue.replace(/!\s*important\s*$/i, '').trim();
  if (value === '') reject(`CSS property ${property} has no value.`);
  if (/expression\s*\(|javascript:|vbscript:/i.test(value)) reject('CSS cannot contain JavaScript.');
  const withoutUrls = value.replace(URL_CALL, (_call, double?: string, single?: string, bare?: string) => {
    if (!DATA_IMAGE_URL.test(double ?? single ?? bare ?? '')) reject('CSS url() values may only hold a data:image URI.');
    return ' ';
  });
  if (/url\s*\(/i.test(withoutUrls)) reject('CSS url() values may only hold a data:image URI.');
  // Strings (font names) are text, not tokens; whatever is left must be plain value syntax.
  const rest = withoutUrls.replace(/"[^"]*"|'[^']*'/g, ' ');
  for (const call of rest.matchAll(/([a-zA-Z_-][\w-]*)\s*\(/g)) {
    const name = (call[1] ?? '').toLowerCase();
    if (!ALLOWED_FUNCTIONS.has(name)) reject(`CSS function ${name}() is not allowed.`);
  }
  if (!VALUE_CHARS.test(rest)) reject(`CSS property ${property} has a value that is not allowed.`);
}

function checkDeclarations(block: string): void {
  for (const declaration of splitTopLevel(block, ';')) {
    if (declaration.trim() === '') continue;
    const colon = declaration.indexOf(':');
    if (colon < 0) reject(`CSS declaration "${declaration.trim()}" has no value.`);
    const property = declaration.slice(0, colon).trim();
    if (!PROPERTY.test(property)) reject(`CSS property "${property}" is not valid.`);
    if (SCRIPT_PROPERTIES.has(property.toLowerCase())) reject('CSS cannot contain JavaScript.');
    checkValue(property, declaration.slice(colon + 1));
  }
}

function checkSelectors(selectorList: string): void {
  for (const raw of selectorList.split(',')) {
    const selector = raw.trim();
    if (selector === '') reject('CSS contains a rule without a selector.');
    if (!CUSTOMIZABLE_SELECTORS.has(selector)) reject(`CSS selector ${selector} is not a customizable class.`);
  }
}

/**
 * Checks CSS for SetUICustomization; throws {@link CssRejected} with the reason when it is refused.
 * The whole text is checked, comments included, since it is served as written.
 */
export function checkCustomizableCss(css: string): void {
  if (css.includes('<')) reject('CSS cannot contain HTML.');
  if (css.includes('\\')) reject('CSS cannot contain escape sequences.');
  // eslint-disable-next-line no-control-regex -- control characters are what is being refused
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(css)) reject('CSS cannot contain control characters.');
  const text = withoutComments(css);
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
    if (at >= text.length) return;
    if (text[at] === '}') reject('CSS contains a } that closes no rule.');
    if (text[at] === '@') {
      const name = /^@[\w-]*/.exec(text.slice(at))?.[0] ?? '@';
      reject(`CSS cannot contain ${name} or any other at-rule.`);
    }
    const open = text.indexOf('{', at);
    if (open < 0) reject('CSS contains a selector without a declaration block.');
    const selectors = text.slice(at, open);
    if (/[;}@]/.test(selectors)) reject('CSS contains a rule that is not valid.');
    checkSelectors(selectors);
    // The block ends at the first `}` outside a string; strings hold no braces in the values allowed.
    let close = open + 1;
    let quote: string | undefined;
    for (; close < text.length; close++) {
      const ch = text[close];
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{') reject('CSS cannot contain nested rules.');
      else if (ch === '}') break;
    }
    if (close >= text.length) reject('CSS contains a declaration block that is not closed.');
    checkDeclarations(text.slice(open + 1, close));
    at = close + 1;
  }
}

/** The reason CSS would be refused, or undefined when it is fine. */
export function cssProblem(css: string): string | undefined {
  try {
    checkCustomizableCss(css);
    return undefined;
  } catch (error) {
    if (error instanceof CssRejected) return error.message;
    throw error;
  }
}
