import { SignJWT, createRemoteJWKSet, errors as joseErrors, importPKCS8, jwtVerify, type JWTPayload } from 'jose';
import type { Services } from '../../services.js';
import type { IdentityProviderRecord } from '../../store/ports.js';
import type { UpstreamIdentity } from './federated-user.js';
import { jwksUriOf, userIdClaimOf } from './providers.js';

/**
 * A failure of the upstream exchange that the client may hear about: its message becomes the
 * `error_description` of the error redirect, so it never carries a secret.
 */
export class UpstreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** What an upstream token endpoint answered (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface UpstreamTokens {
  accessToken?: string;
  idToken?: string;
}

const UPSTREAM_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_CHARS = 512 * 1024;
/** Upstream clocks drift; an ID token a minute early or late is still accepted. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** Apple's client secret is a short-lived JWT we sign with the team's key. */
const APPLE_SECRET_LIFETIME_SECONDS = 300;

export async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text();
  if (text.length > MAX_RESPONSE_CHARS) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function upstreamFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch {
    throw new UpstreamError(`Unable to reach ${new URL(url).host}`);
  }
}

/**
 * The details every OAuth 2.0 / OIDC provider has: Create/UpdateIdentityProvider refuse one without
 * a client_id (providers.ts), so no fallback is needed.
 */
type OAuthDetails = Readonly<Record<string, string>> & { readonly client_id: string };

/** Sign in with Apple's: the team, key and private key are required too, and its preset adds the issuer. */
type AppleDetails = OAuthDetails & {
  readonly team_id: string;
  readonly key_id: string;
  readonly private_key: string;
  readonly oidc_issuer: string;
};

/** The client secret of Sign in with Apple: an ES256 JWT signed with the team's key (Apple's token docs). */
async function appleClientSecret(services: Services, details: AppleDetails): Promise<string> {
  // The key arrives as Apple's .p8 file, its bare base64, or either pasted with stray indentation
  // or CRLFs: keep only the base64 and wrap it again, so every form imports alike.
  const base64 = details.private_key.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, '');
  const key = await importPKCS8(`-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----`, 'ES256');
  const now = Math.floor(services.clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: details.key_id })
    .setIssuer(details.team_id)
    .setSubject(details.client_id)
    .setAudience(details.oidc_issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + APPLE_SECRET_LIFETIME_SECONDS)
    .sign(key);
}

async function clientSecretOf(services: Services, provider: IdentityProviderRecord): Promise<string | undefined> {
  if (provider.details['client_secret'] !== undefined) return provider.details['client_secret'];
  if (provider.type === 'SignInWithApple') return appleClientSecret(services, provider.details as AppleDetails);
  return undefined;
}

/**
 * Exchanges the upstream's authorization code at its token endpoint (RFC 6749 §4.1.3) with our PKCE
 * verifier. The client authenticates with client_secret_post; an upstream that refuses it with
 * `invalid_client` gets one retry with HTTP Basic (client_secret_basic), so both kinds of provider
 * work without a setting Cognito does not have. Facebook's endpoint takes a GET.
 */
export async function exchangeCode(
  services: Services,
  provider: IdentityProviderRecord,
  code: string,
  redirectUri: string,
  codeVerifier: string,
): Promise<UpstreamTokens> {
  const tokenUrl = provider.details['token_url'];
  if (!tokenUrl) throw new UpstreamError('The identity provider has no token endpoint');
  const clientId = (provider.details as OAuthDetails).client_id;
  const secret = await clientSecretOf(services, provider);
  const params = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier });

  const send = async (basic: boolean): Promise<Response> => {
    const body = new URLSearchParams(params);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (basic && secret !== undefined) {
      // RFC 6749 §2.3.1: each part form-encoded before the Basic encoding.
      const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`;
      headers['authorization'] = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    } else {
      body.set('client_id', clientId);
      if (secret !== undefined) body.set('client_secret', secret);
    }
    if (provider.details['token_request_method'] === 'GET') {
      return upstreamFetch(`${tokenUrl}${tokenUrl.includes('?') ? '&' : '?'}${body.toString()}`, { method: 'GET', headers });
    }
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return upstreamFetch(tokenUrl, { method: 'POST', headers, body: body.toString() });
  };

  let response = await send(false);
  let json = await readJson(response);
  if (!response.ok && secret !== undefined && json?.['error'] === 'invalid_client') {
    response = await send(true);
    json = await readJson(response);
  }
  if (!response.ok || !json) {
    const error = typeof json?.['error'] === 'string' ? json['error'] : `HTTP ${response.status}`;
    throw new UpstreamError(`Error exchanging the authorization code at the identity provider: ${error}`);
  }
  const tokens: UpstreamTokens = {};
  if (typeof json['access_token'] === 'string') tokens.accessToken = json['access_token'];
  if (typeof json['id_token'] === 'string') tokens.idToken = json['id_token'];
  if (tokens.accessToken === undefined && tokens.idToken === undefined) {
    throw new UpstreamError('The identity provider returned no token');
  }
  return tokens;
}

/**
 * One key set per URL for the life of the process; jose refetches it when it meets an unknown key.
 * Shared by the user pools' upstream providers and the identity pools' OIDC and social logins.
 */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export function keySet(uri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { timeoutDuration: UPSTREAM_TIMEOUT_MS });
    keySets.set(uri, set);
  }
  return set;
}

/**
 * Claims as strings, as attribute mapping wants them: anything but a string as its JSON (a number
 * or boolean reads the same as String() would give it). Claims come parsed from JSON, so a value is
 * never undefined; a null one is left out.
 */
function stringClaims(source: Readonly<Record<string, unknown>>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === null) continue;
    claims[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return claims;
}

/**
 * Verifies an upstream ID token (OIDC Core §3.1.3.7): signature by the provider's key set, issuer,
 * audience (our client ID), expiry and the nonce we sent. The descriptions follow Cognito's
 * ("Bad id_token issuer ...").
 */
async function verifyIdToken(services: Services, provider: IdentityProviderRecord, idToken: string, nonce: string): Promise<JWTPayload> {
  const jwksUri = jwksUriOf(provider.type, provider.details);
  const issuer = provider.details['oidc_issuer'];
  if (!jwksUri || !issuer) throw new UpstreamError('Unable to verify the id_token: the identity provider has no key set');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keySet(jwksUri), {
      currentDate: new Date(services.clock.now()),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UpstreamError('Expired id_token');
    throw new UpstreamError('Invalid id_token signature');
  }
  if (payload.iss !== issuer) throw new UpstreamError(`Bad id_token issuer ${String(payload.iss)}`);
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audience.includes(provider.details['client_id'])) throw new UpstreamError('Bad id_token audience');
  if (payload['nonce'] !== nonce) throw new UpstreamError('Bad id_token nonce');
  return payload;
}

/**
 * The upstream's user info endpoint (OIDC Core §5.3; Facebook's Graph `me`, Amazon's profile).
 * With `attributes_url_add_attributes`, the attributes the mapping needs are appended to the URL,
 * as Cognito does for Facebook's `fields=` and Google's `personFields=`.
 */
async function fetchUserInfo(
  provider: IdentityProviderRecord,
  attributesUrl: string,
  accessToken: string,
): Promise<Record<string, string>> {
  let url = attributesUrl;
  if (provider.details['attributes_url_add_attributes'] === 'true') {
    const wanted = new Set([userIdClaimOf(provider.type), ...Object.values(provider.attributeMapping)]);
    url += [...wanted].map(encodeURIComponent).join(',');
  }
  const method = provider.type === 'OIDC' && provider.details['attributes_request_method'] === 'POST' ? 'POST' : 'GET';
  const response = await upstreamFetch(url, { method, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  const json = response.ok ? await readJson(response) : undefined;
  if (!json) throw new UpstreamError(`Error retrieving user attributes from the identity provider: HTTP ${response.status}`);
  return stringClaims(json);
}

/**
 * What the provider asserts about the user: the verified ID token's claims (when it sent one) over
 * the user info endpoint's (when the provider has one; Sign in with Apple has none), keyed by the
 * provider's user ID claim (`sub`; Facebook `id`; Login with Amazon `user_id`).
 */
export async function upstreamIdentity(
  services: Services,
  provider: IdentityProviderRecord,
  tokens: UpstreamTokens,
  nonce: string,
): Promise<UpstreamIdentity> {
  const fromIdToken =
    tokens.idToken === undefined ? undefined : stringClaims(await verifyIdToken(services, provider, tokens.idToken, nonce));
  const attributesUrl = provider.type === 'SignInWithApple' ? undefined : provider.details['attributes_url'];
  const fromUserInfo =
    attributesUrl !== undefined && tokens.accessToken !== undefined
      ? await fetchUserInfo(provider, attributesUrl, tokens.accessToken)
      : undefined;
  if (!fromIdToken && !fromUserInfo) throw new UpstreamError('The identity provider returned no id_token and has no attributes endpoint');

  const idClaim = userIdClaimOf(provider.type);
  // OIDC Core §5.3.2: user info about another subject than the ID token's must not be used.
  if (fromIdToken && fromUserInfo && fromUserInfo[idClaim] !== undefined && fromUserInfo[idClaim] !== fromIdToken[idClaim]) {
    throw new UpstreamError('The user info subject does not match the id_token subject');
  }
  const claims = { ...fromUserInfo, ...fromIdToken };
  const userId = claims[idClaim];
  if (userId === undefined || userId === '') throw new UpstreamError(`The identity provider did not return ${idClaim}`);
  return { userId, claims };
}
