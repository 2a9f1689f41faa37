import type { Services } from '../../services.js';
import { serializeCookie } from '../../lib/cookies.js';
import type { HostedRequest, HostedSite } from '../site.js';

/*
 * What single logout needs to remember of a SAML sign-in: the provider, and the user and session
 * as the IdP named them (NameID, SessionIndex), which the LogoutRequest must repeat. It lives in
 * its own sealed cookie beside the managed-login session, tied to that session by user and sign-in
 * time: the session cookie is rewritten whenever a client is authorized from it, and this record
 * must survive that, yet count only while that very session lasts.
 */

export interface SamlSession {
  poolId: string;
  usernameKey: string;
  /** The sign-in time of the managed-login session it belongs to. */
  authTime: number;
  providerName: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
}

export const SAML_SESSION_COOKIE = 'cognito-saml';

function sealingContext(poolId: string): string {
  return `saml-session:${poolId}`;
}

/** The `Set-Cookie` value that records a SAML sign-in; it ends with the browser session or `/logout`. */
export function samlSessionCookie(services: Services, site: HostedSite, session: SamlSession): string {
  return serializeCookie(SAML_SESSION_COOKIE, services.sealer.seal(JSON.stringify(session), sealingContext(session.poolId)), {
    path: site.cookiePath,
    secure: site.secure,
  });
}

/** The `Set-Cookie` value that forgets it. */
export function clearSamlSessionCookie(site: HostedSite): string {
  return serializeCookie(SAML_SESSION_COOKIE, '', { path: site.cookiePath, secure: site.secure, maxAge: 0 });
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

/** The SAML sign-in recorded for this site, when the cookie opens; the caller ties it to the live session. */
export function readSamlSession(services: Services, site: HostedSite, request: HostedRequest): SamlSession | undefined {
  const value = request.cookies.get(SAML_SESSION_COOKIE);
  if (!value) return undefined;
  const opened = services.sealer.openString(value, sealingContext(site.pool.id));
  if (opened === null) return undefined;
  let parsed: Partial<Record<keyof SamlSession, unknown>>;
  try {
    parsed = JSON.parse(opened) as Partial<Record<keyof SamlSession, unknown>>;
  } catch {
    return undefined;
  }
  const { poolId, usernameKey, authTime, providerName, nameId, nameIdFormat, sessionIndex } = parsed;
  if (
    poolId !== site.pool.id ||
    typeof usernameKey !== 'string' ||
    typeof authTime !== 'number' ||
    typeof providerName !== 'string' ||
    typeof nameId !== 'string' ||
    !optionalString(nameIdFormat) ||
    !optionalString(sessionIndex)
  ) {
    return undefined;
  }
  return {
    poolId,
    usernameKey,
    authTime,
    providerName,
    nameId,
    ...(nameIdFormat !== undefined ? { nameIdFormat } : {}),
    ...(sessionIndex !== undefined ? { sessionIndex } : {}),
  };
}
