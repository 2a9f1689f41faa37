import type { Services } from '../services.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { serializeCookie } from '../lib/cookies.js';
import { isLoopback } from '../config/load.js';
import { LOCAL_ADMIN_KEY } from '../config/schema.js';

/** Where the console is served; its cookies are scoped to this path. */
export const CONSOLE_PATH = '/_cognate/console';

/** The session cookie's name. */
export const SESSION_COOKIE = 'cognate-console';

/** How long a console session lasts, in seconds: a working day, then sign in again. */
export const SESSION_SECONDS = 8 * 60 * 60;

/** The additional data the session is sealed with, so no other sealed value passes for a session. */
const SEALING_CONTEXT = 'console-session';

/** The access key ID a password session's changes are audited under. */
export const PASSWORD_ACTOR = 'cognate-console';

/** A signed-in console admin: who (audited as the actor of every change) and until when. */
export interface ConsoleSession {
  actor: string;
  expiresAt: number;
}

/** Whether the request comes from this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function fromLoopback(ip: string): boolean {
  return isLoopback(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
}

/**
 * Who a sign-in form names, or why not: an admin key pair (the secret compared in constant time,
 * as SigV4 does) or, with an empty access key ID, the configured console password. The well-known
 * `local:local` pair signs in from loopback only, since anyone can type it.
 */
export function checkSignIn(
  services: Services,
  form: { accessKeyId: string; secret: string },
  ip: string,
): { ok: true; actor: string } | { ok: false; message: string } {
  const refused = { ok: false as const, message: 'Incorrect access key ID, secret or password.' };
  if (form.secret === '') return refused;
  if (form.accessKeyId === '') {
    const password = services.config.consolePassword;
    if (password === undefined || !constantTimeEqual(password, form.secret)) return refused;
    return { ok: true, actor: PASSWORD_ACTOR };
  }
  const secret = services.secretFor(form.accessKeyId);
  if (secret === undefined || !constantTimeEqual(secret, form.secret)) return refused;
  const localPair = form.accessKeyId === LOCAL_ADMIN_KEY.accessKeyId && form.secret === LOCAL_ADMIN_KEY.secretAccessKey;
  if (localPair && !fromLoopback(ip)) {
    return { ok: false, message: 'The local:local key pair signs in from this machine only. Configure COGNATE_ADMIN_KEYS.' };
  }
  return { ok: true, actor: form.accessKeyId };
}

/** The `Set-Cookie` of a new session: sealed under the master key, HttpOnly, SameSite=Strict, expiring. */
export function sessionCookie(services: Services, actor: string, secure: boolean): string {
  const expiresAt = Math.floor(services.clock.now() / 1000) + SESSION_SECONDS;
  const sealed = services.sealer.seal(JSON.stringify({ actor, expiresAt } satisfies ConsoleSession), SEALING_CONTEXT);
  return serializeCookie(SESSION_COOKIE, sealed, { path: CONSOLE_PATH, secure, sameSite: 'Strict', maxAge: SESSION_SECONDS });
}

/** The `Set-Cookie` that ends the session in the browser. */
export function endSessionCookie(secure: boolean): string {
  return serializeCookie(SESSION_COOKIE, '', { path: CONSOLE_PATH, secure, sameSite: 'Strict', maxAge: 0 });
}

/**
 * The session the cookie holds, or undefined when there is none, it was not sealed by this server
 * (tampered with, or another master key), or it has expired: the cookie's Max-Age is the browser's
 * courtesy, the sealed expiry is the rule. A password session ends when the password is removed.
 */
export function readSession(services: Services, cookie: string | undefined): ConsoleSession | undefined {
  if (cookie === undefined || cookie === '') return undefined;
  const text = services.sealer.openString(cookie, SEALING_CONTEXT);
  if (text === null) return undefined;
  let session: unknown;
  try {
    session = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { actor, expiresAt } = (session ?? {}) as Partial<ConsoleSession>;
  if (typeof actor !== 'string' || typeof expiresAt !== 'number') return undefined;
  if (expiresAt <= Math.floor(services.clock.now() / 1000)) return undefined;
  if (actor === PASSWORD_ACTOR ? services.config.consolePassword === undefined : services.secretFor(actor) === undefined) return undefined;
  return { actor, expiresAt };
}
