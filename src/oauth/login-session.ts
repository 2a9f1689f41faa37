import type { Services } from '../services.js';
import type { UserRecord } from '../store/ports.js';
import type { HostedRequest, HostedSite } from './site.js';
import { serializeCookie } from '../lib/cookies.js';

/**
 * The managed-login session: who signed in on this pool's domain and when. It lives in a sealed,
 * HttpOnly cookie scoped to the site, so one sign-in serves every client of the pool until it
 * expires (1 hour, as Cognito's), the user signs out (`/logout`, GlobalSignOut) or is disabled.
 * `/logout` ends it in the database too (a marker under its id), so a copy of the cookie kept from
 * before is no session on any node.
 */
export interface LoginSession {
  /** Names the session from sign-in to its end; kept when the cookie is set again. */
  id: string;
  poolId: string;
  usernameKey: string;
  /** When the user signed in (ms): the tokens' auth_time. */
  authTime: number;
}

/** Cognito's managed-login session cookie is named `cognito` too. */
export const LOGIN_SESSION_COOKIE = 'cognito';

/** Cognito's managed-login session lasts one hour from sign-in; using it does not extend it. */
const SESSION_MS = 3_600_000;

/** What the cookie seals: the session and the user's creation time (a later user of the same name is another user). */
interface SealedSession {
  s: string;
  p: string;
  u: string;
  t: number;
  c: number;
}

function sealingContext(poolId: string): string {
  return `login-session:${poolId}`;
}

/** The `Set-Cookie` value that starts a session on `site`. */
export function loginSessionCookie(services: Services, site: HostedSite, session: LoginSession): string {
  const sealed: SealedSession = { s: session.id, p: session.poolId, u: session.usernameKey, t: session.authTime, c: services.clock.now() };
  const remaining = Math.max(0, Math.floor((session.authTime + SESSION_MS - services.clock.now()) / 1000));
  return serializeCookie(LOGIN_SESSION_COOKIE, services.sealer.seal(JSON.stringify(sealed), sealingContext(session.poolId)), {
    path: site.cookiePath,
    secure: site.secure,
    maxAge: remaining,
  });
}

/** The `Set-Cookie` value that ends the session on `site`. */
export function clearLoginSessionCookie(site: HostedSite): string {
  return serializeCookie(LOGIN_SESSION_COOKIE, '', { path: site.cookiePath, secure: site.secure, maxAge: 0 });
}

function openSession(services: Services, poolId: string, value: string): SealedSession | undefined {
  const opened = services.sealer.openString(value, sealingContext(poolId));
  if (opened === null) return undefined;
  try {
    const parsed = JSON.parse(opened) as Partial<SealedSession>;
    if (
      typeof parsed.s !== 'string' ||
      typeof parsed.p !== 'string' ||
      typeof parsed.u !== 'string' ||
      typeof parsed.t !== 'number' ||
      typeof parsed.c !== 'number'
    ) {
      return undefined;
    }
    return { s: parsed.s, p: parsed.p, u: parsed.u, t: parsed.t, c: parsed.c };
  } catch {
    return undefined;
  }
}

/** Statuses whose users may sign in without another step (a reset or new password ends the session). */
const SIGNED_IN_STATUSES: ReadonlySet<string> = new Set(['CONFIRMED', 'EXTERNAL_PROVIDER']);

/** The request's session and its user, when the cookie is valid for this pool and the user may still sign in. */
export async function readLoginSession(
  services: Services,
  site: HostedSite,
  request: HostedRequest,
): Promise<{ session: LoginSession; user: UserRecord } | undefined> {
  const value = request.cookies.get(LOGIN_SESSION_COOKIE);
  if (!value) return undefined;
  const sealed = openSession(services, site.pool.id, value);
  if (!sealed || sealed.p !== site.pool.id) return undefined;
  if (services.clock.now() >= sealed.t + SESSION_MS) return undefined;
  if ((await services.store.rateCounters.peek(endedKey(sealed))) !== undefined) return undefined;
  const user = await services.store.users.get(site.pool.id, sealed.u);
  if (!user || user.createdAt > sealed.c) return undefined;
  if (!user.enabled || !SIGNED_IN_STATUSES.has(user.status)) return undefined;
  // GlobalSignOut and AdminUserGlobalSignOut move tokensValidAfter: a session from before is over.
  if (sealed.t < user.tokensValidAfter) return undefined;
  return { session: { id: sealed.s, poolId: sealed.p, usernameKey: sealed.u, authTime: sealed.t }, user };
}

/** The marker of an ended session; kept past the session's hour by the counters' retention (housekeeping.ts). */
function endedKey(sealed: SealedSession): string {
  return `login-session-ended:${sealed.p}:${sealed.s}`;
}

/**
 * Ends the request's session for good, on every node: its id is marked ended in the database, so
 * the cookie, or any copy of it, no longer opens a session ({@link readLoginSession}). A request
 * without a session cookie of this pool has nothing to end.
 */
export async function endLoginSession(services: Services, site: HostedSite, request: HostedRequest): Promise<void> {
  const value = request.cookies.get(LOGIN_SESSION_COOKIE);
  const sealed = value ? openSession(services, site.pool.id, value) : undefined;
  if (!sealed || sealed.p !== site.pool.id) return;
  await services.store.rateCounters.hitSliding(endedKey(sealed), SESSION_MS, services.clock.now());
}
