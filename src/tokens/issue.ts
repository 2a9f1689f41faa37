import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { signRs256Jwt } from './jwt.js';
import type { AuthenticationResultType, SchemaAttributeType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { GroupRecord, UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { newOpaqueToken, newUuid } from '../lib/ids.js';
import { sha256Hex } from '../crypto/compare.js';
import { issuerFor } from './issuer.js';
import { tokenLifetimes } from './validity.js';
import { identitiesClaim } from '../oauth/federation/identities.js';

/** The scope of tokens issued through the API flows (InitiateAuth and friends). */
export const API_SCOPE = 'aws.cognito.signin.user.admin';

export interface TokenRequest {
  pool: UserPoolRecord;
  client: UserPoolClientRecord;
  user: UserRecord;
  /** When the user signed in (ms); kept across refreshes. */
  authTime: number;
  /** The session's original JTI; absent on a new sign-in. */
  originJti?: string;
  deviceKey?: string;
  scopes?: string[];
  /**
   * `new`: issue a refresh token (sign-in, or rotation); `none`: ID and access only (refresh
   * without rotation).
   */
  refresh: 'new' | 'none';
  /**
   * When the new refresh token expires (ms); defaults to now plus the client's refresh validity. A
   * rotated refresh token keeps the remaining lifetime of the one it replaces.
   */
  refreshExpiresAt?: number;
  /** OAuth: whether to issue an ID token (only with the `openid` scope); default true. */
  idToken?: boolean;
  /** OAuth: the authorization request's `nonce`, echoed in the ID token. */
  nonce?: string;
  /** OAuth: put `at_hash` (OIDC Core §3.1.3.6) of the access token in the ID token. */
  atHash?: boolean;
}

/** ID token claims of user attributes: booleans for *_verified, numbers for Number attributes, custom:* strings. */
function attributeClaims(pool: UserPoolRecord, client: UserPoolClientRecord, user: UserRecord): Record<string, unknown> {
  const readable = client.config.ReadAttributes;
  const schema = new Map<string, SchemaAttributeType>((pool.config.SchemaAttributes ?? []).map((s) => [s.Name ?? '', s]));
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub') continue;
    if (name === 'identities') {
      // Federated users: a list of objects in the token, whatever the client may read.
      const identities = identitiesClaim(value);
      if (identities) claims[name] = identities;
      continue;
    }
    if (readable && !readable.includes(name)) continue;
    const type = schema.get(name)?.AttributeDataType;
    if (!name.startsWith('custom:') && type === 'Boolean') claims[name] = value === 'true';
    else if (!name.startsWith('custom:') && type === 'Number' && value !== '' && Number.isFinite(Number(value)))
      claims[name] = Number(value);
    else claims[name] = value;
  }
  return claims;
}

/** `cognito:groups`, `cognito:roles` and `cognito:preferred_role` from the user's groups. */
function groupClaims(groups: readonly GroupRecord[]): Record<string, unknown> {
  if (groups.length === 0) return {};
  const sorted = [...groups].sort((a, b) => a.name.localeCompare(b.name));
  const claims: Record<string, unknown> = { 'cognito:groups': sorted.map((g) => g.name) };
  const roles = [...new Set(sorted.flatMap((g) => (g.roleArn ? [g.roleArn] : [])))];
  if (roles.length) claims['cognito:roles'] = roles;
  // The preferred role is the role of the group with the lowest precedence among groups with a
  // role. A null precedence ranks below every number but still counts (a lone group with a role
  // and no precedence gives its role); a tie between different roles, nulls included, gives none.
  // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html
  const rank = (g: GroupRecord): number => g.precedence ?? Number.POSITIVE_INFINITY;
  const withRole = sorted.filter((g) => g.roleArn !== null && g.roleArn !== '');
  const top = Math.min(...withRole.map(rank));
  const topRoles = new Set(withRole.filter((g) => rank(g) === top).map((g) => g.roleArn));
  if (topRoles.size === 1) claims['cognito:preferred_role'] = [...topRoles][0];
  return claims;
}

/** `at_hash`: the left half of the SHA-256 of the access token, base64url (OIDC Core §3.1.3.6, RS256). */
function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/** Signs `claims` as an RS256 JWT with the pool's current key for `purpose` (its `kid` in the header). */
async function signToken(services: Services, poolId: string, purpose: 'id' | 'access', claims: JWTPayload): Promise<string> {
  const key = await services.keys.signingKey(poolId, purpose);
  return signRs256Jwt(key.kid, claims, key.key);
}

/**
 * Mints ID and access tokens with Cognito's claim sets (and an opaque refresh token, stored by
 * hash, when asked), each signed with the pool's key for its purpose.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html
 */
export async function issueTokens(services: Services, request: TokenRequest): Promise<AuthenticationResultType> {
  const { pool, client, user } = request;
  const now = services.clock.now();
  const iat = Math.floor(now / 1000);
  const lifetimes = tokenLifetimes(client);
  const originJti = request.originJti ?? newUuid();
  const eventId = newUuid();
  const issuer = issuerFor(services, pool);
  const authTime = Math.floor(request.authTime / 1000);
  const groups = await services.store.groups.groupsOf(pool.id, user.usernameKey);
  const groupsClaims = groupClaims(groups);

  const accessToken = await signToken(services, pool.id, 'access', {
    sub: user.sub,
    ...(groupsClaims['cognito:groups'] ? { 'cognito:groups': groupsClaims['cognito:groups'] } : {}),
    ...(request.deviceKey ? { device_key: request.deviceKey } : {}),
    iss: issuer,
    client_id: client.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: (request.scopes ?? [API_SCOPE]).join(' '),
    auth_time: authTime,
    exp: iat + Math.floor(lifetimes.access / 1000),
    iat,
    jti: newUuid(),
    username: user.username,
    // Current Cognito access tokens carry the token format version.
    version: 2,
  });

  const idToken =
    request.idToken === false
      ? undefined
      : await signToken(services, pool.id, 'id', {
          sub: user.sub,
          ...groupsClaims,
          ...attributeClaims(pool, client, user),
          iss: issuer,
          'cognito:username': user.username,
          origin_jti: originJti,
          aud: client.clientId,
          event_id: eventId,
          token_use: 'id',
          auth_time: authTime,
          exp: iat + Math.floor(lifetimes.id / 1000),
          iat,
          jti: newUuid(),
          ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
          ...(request.atHash ? { at_hash: accessTokenHash(accessToken) } : {}),
        });

  const result: AuthenticationResultType = {
    AccessToken: accessToken,
    ExpiresIn: Math.floor(lifetimes.access / 1000),
    TokenType: 'Bearer',
    ...(idToken !== undefined ? { IdToken: idToken } : {}),
  };
  if (request.refresh === 'new') {
    const refreshToken = newOpaqueToken(48);
    await services.store.refreshTokens.insert({
      tokenHash: sha256Hex(refreshToken),
      poolId: pool.id,
      clientId: client.clientId,
      usernameKey: user.usernameKey,
      originJti,
      authTime: request.authTime,
      deviceKey: request.deviceKey ?? null,
      scopes: request.scopes ?? [API_SCOPE],
      expiresAt: request.refreshExpiresAt ?? now + lifetimes.refresh,
      revokedAt: null,
      replacedAt: null,
      createdAt: now,
    });
    result.RefreshToken = refreshToken;
  }
  return result;
}

/**
 * Mints the access token of the client_credentials grant (machine to machine) with the claims of
 * Cognito's M2M tokens: the client is its own subject, there is no user (no `username`,
 * `origin_jti` or `event_id`), and `auth_time` is the time of issue. Its lifetime is the client's
 * access-token validity.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
export async function issueClientCredentialsToken(
  services: Services,
  request: { pool: UserPoolRecord; client: UserPoolClientRecord; scopes: readonly string[] },
): Promise<{ accessToken: string; expiresIn: number }> {
  const { pool, client } = request;
  const iat = Math.floor(services.clock.now() / 1000);
  const expiresIn = Math.floor(tokenLifetimes(client).access / 1000);
  const accessToken = await signToken(services, pool.id, 'access', {
    sub: client.clientId,
    token_use: 'access',
    scope: request.scopes.join(' '),
    auth_time: iat,
    iss: issuerFor(services, pool),
    exp: iat + expiresIn,
    iat,
    version: 2,
    jti: newUuid(),
    client_id: client.clientId,
  });
  return { accessToken, expiresIn };
}
