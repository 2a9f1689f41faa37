import type { HostedRequest, HostedSite } from '../oauth/site.js';

/** What the token's cookie is scoped by: a managed login site, or the admin console. */
type CookieScope = Pick<HostedSite, 'secure' | 'cookiePath'>;

/** The part of a request the token is read from. */
type CookieJar = Pick<HostedRequest, 'cookies'>;
import { constantTimeEqual } from '../crypto/compare.js';
import { serializeCookie } from '../lib/cookies.js';
import { newOpaqueToken } from '../lib/ids.js';

/** The form field that carries the token back (the name Cognito's pages use too). */
export const CSRF_FIELD = '_csrf';

/**
 * The cookie's name. Over HTTPS on a whole host, the `__Host-` prefix makes browsers refuse the
 * cookie from any other host, so a sibling domain under the same login domain cannot plant a token
 * of its choosing (the weak spot of double-submit cookies).
 */
export function csrfCookieName(site: CookieScope): string {
  return site.secure && site.cookiePath === '/' ? '__Host-cognate-csrf' : 'cognate-csrf';
}

/** A cookie value we would have issued: 32 random bytes, base64url. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** The page's CSRF token, and the `Set-Cookie` to send when the browser does not hold one yet. */
export interface CsrfToken {
  token: string;
  setCookie: string | undefined;
}

/**
 * The token a form carries: the browser's own cookie when it has a well-formed one (so several tabs
 * keep working), else a new random one set as an HttpOnly, SameSite=Lax session cookie on the site.
 */
export function csrfToken(site: CookieScope, request: CookieJar): CsrfToken {
  const existing = request.cookies.get(csrfCookieName(site));
  if (existing !== undefined && TOKEN_FORMAT.test(existing)) return { token: existing, setCookie: undefined };
  const token = newOpaqueToken(32);
  return {
    token,
    setCookie: serializeCookie(csrfCookieName(site), token, { path: site.cookiePath, secure: site.secure, sameSite: 'Lax' }),
  };
}

/**
 * Double-submit check of a form post: the field must equal the cookie, compared in constant time.
 * A cross-site page can make the browser send the cookie but can neither read it nor set it, so it
 * cannot put the same value in the form.
 */
export function csrfValid(site: CookieScope, request: CookieJar, form: URLSearchParams): boolean {
  const cookie = request.cookies.get(csrfCookieName(site));
  const field = form.get(CSRF_FIELD);
  if (cookie === undefined || field === null || !TOKEN_FORMAT.test(cookie)) return false;
  return constantTimeEqual(cookie, field);
}
