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
import {
  applyClaimChanges,
  customisedScopes,
  preTokenGeneration,
  type GroupConfiguration,
  type TokenCustomisation,
  type TokenSource,
} from '../triggers/events/pre-token-generation.js';
import { triggerUserAttributes } from '../triggers/events/user-attributes.js';

/** The scope of tokens issued through the API flows (InitiateAuth and friends). */
export const API_SCOPE = 'aws.cognito.signin.user.admin';

export interface TokenRequest {
  /** Why the tokens are issued: the pre token generation trigger's source. */
  source: Exclude<TokenSource, 'TokenGeneration_ClientCredentials'>;
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
  /** The request's ClientMetadata, for the pre token generation trigger. */
  clientMetadata?: Readonly<Record<string, string>> | undefined;
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

/** The claims of the tokens to issue, before they are signed. */
interface TokenClaims {
  /** Absent when no ID token is issued. */
  id: Record<string, unknown> | undefined;
  access: Record<string, unknown>;
}

/** The event's view of the user's groups: their names, roles and preferred role. */
function groupConfiguration(claims: Record<string, unknown>): GroupConfiguration {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const preferred = claims['cognito:preferred_role'];
  return {
    groupsToOverride: list(claims['cognito:groups']),
    iamRolesToOverride: list(claims['cognito:roles']),
    preferredRole: typeof preferred === 'string' ? preferred : null,
  };
}

/** Sets a claim, or removes it when the value is empty. */
function setOrRemove(claims: Record<string, unknown> | undefined, name: string, value: string | readonly string[] | undefined): void {
  if (!claims || value === undefined) return;
  if (value.length === 0) delete claims[name];
  else claims[name] = value;
}

/**
 * Applies a handler's changes: the group override (groups in both tokens, roles and preferred role
 * in the ID token), then each token's claims, then the access token's scopes.
 */
function applyCustomisation(claims: TokenClaims, customisation: TokenCustomisation, scopes: readonly string[]): void {
  const { groupsToOverride, iamRolesToOverride, preferredRole } = customisation.groupOverride;
  setOrRemove(claims.id, 'cognito:groups', groupsToOverride);
  setOrRemove(claims.access, 'cognito:groups', groupsToOverride);
  setOrRemove(claims.id, 'cognito:roles', iamRolesToOverride);
  setOrRemove(claims.id, 'cognito:preferred_role', preferredRole ?? undefined);
  if (claims.id) applyClaimChanges(claims.id, customisation.idToken, 'id');
  applyClaimChanges(claims.access, customisation.accessToken, 'access');
  claims.access['scope'] = customisedScopes(scopes, customisation).join(' ');
}

/** Step 1 of a user's tokens: Cognito's claims for the user, the client and the session. */
async function buildClaims(services: Services, request: TokenRequest, scopes: readonly string[], originJti: string): Promise<TokenClaims> {
  const { pool, client, user } = request;
  const iat = Math.floor(services.clock.now() / 1000);
  const lifetimes = tokenLifetimes(client);
  const eventId = newUuid();
  const issuer = issuerFor(services, pool);
  const authTime = Math.floor(request.authTime / 1000);
  const groupsClaims = groupClaims(await services.store.groups.groupsOf(pool.id, user.usernameKey));

  const access: Record<string, unknown> = {
    sub: user.sub,
    ...(groupsClaims['cognito:groups'] ? { 'cognito:groups': groupsClaims['cognito:groups'] } : {}),
    ...(request.deviceKey ? { device_key: request.deviceKey } : {}),
    iss: issuer,
    client_id: client.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: authTime,
    exp: iat + Math.floor(lifetimes.access / 1000),
    iat,
    jti: newUuid(),
    username: user.username,
    // Current Cognito access tokens carry the token format version.
    version: 2,
  };
  const id =
    request.idToken === false
      ? undefined
      : {
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
        };
  return { id, access };
}

/**
 * Step 2: the pool's pre token generation trigger sees the user, their groups and the scopes, and
 * may change the claims (in place).
 */
async function customiseClaims(services: Services, request: TokenRequest, scopes: readonly string[], claims: TokenClaims): Promise<void> {
  const { pool, client, user } = request;
  const customisation = await preTokenGeneration(services, pool, {
    source: request.source,
    userName: user.username,
    clientId: client.clientId,
    userAttributes: () => triggerUserAttributes(user),
    groupConfiguration: () => groupConfiguration(claims.id ?? claims.access),
    scopes,
    clientMetadata: request.clientMetadata,
  });
  if (customisation) applyCustomisation(claims, customisation, scopes);
}

/** Step 3: signs the access token, then the ID token (which may carry the access token's hash). */
async function signTokens(
  services: Services,
  request: TokenRequest,
  claims: TokenClaims,
): Promise<{ accessToken: string; idToken?: string }> {
  const accessToken = await signToken(services, request.pool.id, 'access', claims.access);
  if (!claims.id) return { accessToken };
  const id = request.atHash ? { ...claims.id, at_hash: accessTokenHash(accessToken) } : claims.id;
  return { accessToken, idToken: await signToken(services, request.pool.id, 'id', id) };
}

/**
 * Mints ID and access tokens with Cognito's claim sets (and an opaque refresh token, stored by
 * hash, when asked), each signed with the pool's key for its purpose: build the claims, let the
 * pre token generation trigger customise them, sign.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html
 */
export async function issueTokens(services: Services, request: TokenRequest): Promise<AuthenticationResultType> {
  const scopes = request.scopes ?? [API_SCOPE];
  const originJti = request.originJti ?? newUuid();
  const claims = await buildClaims(services, request, scopes, originJti);
  await customiseClaims(services, request, scopes, claims);
  const { accessToken, idToken } = await signTokens(services, request, claims);

  const lifetimes = tokenLifetimes(request.client);
  const result: AuthenticationResultType = {
    AccessToken: accessToken,
    ExpiresIn: Math.floor(lifetimes.access / 1000),
    TokenType: 'Bearer',
    ...(idToken !== undefined ? { IdToken: idToken } : {}),
  };
  if (request.refresh === 'new') result.RefreshToken = await storeRefreshToken(services, request, originJti, scopes);
  return result;
}

/** A new opaque refresh token for the session, stored by hash with what a refresh needs (the scopes as asked, before any trigger). */
async function storeRefreshToken(services: Services, request: TokenRequest, originJti: string, scopes: readonly string[]): Promise<string> {
  const now = services.clock.now();
  const refreshToken = newOpaqueToken(48);
  await services.store.refreshTokens.insert({
    tokenHash: sha256Hex(refreshToken),
    poolId: request.pool.id,
    clientId: request.client.clientId,
    usernameKey: request.user.usernameKey,
    originJti,
    authTime: request.authTime,
    deviceKey: request.deviceKey ?? null,
    scopes: [...scopes],
    expiresAt: request.refreshExpiresAt ?? now + tokenLifetimes(request.client).refresh,
    revokedAt: null,
    replacedAt: null,
    createdAt: now,
  });
  return refreshToken;
}

/**
 * Mints the access token of the client_credentials grant (machine to machine) with the claims of
 * Cognito's M2M tokens: the client is its own subject, there is no user (no `username`,
 * `origin_jti` or `event_id`), and `auth_time` is the time of issue. Its lifetime is the client's
 * access-token validity. Build the claims, let a version 3 pre token generation trigger customise
 * them (`TokenGeneration_ClientCredentials`; versions 1 and 2 are not run), sign.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
export async function issueClientCredentialsToken(
  services: Services,
  request: {
    pool: UserPoolRecord;
    client: UserPoolClientRecord;
    scopes: readonly string[];
    /** `aws_client_metadata` of the token request. */
    clientMetadata?: Readonly<Record<string, string>> | undefined;
  },
): Promise<{ accessToken: string; expiresIn: number }> {
  const { pool, client, scopes } = request;
  const iat = Math.floor(services.clock.now() / 1000);
  const expiresIn = Math.floor(tokenLifetimes(client).access / 1000);
  const claims: TokenClaims = {
    id: undefined,
    access: {
      sub: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: iat,
      iss: issuerFor(services, pool),
      exp: iat + expiresIn,
      iat,
      version: 2,
      jti: newUuid(),
      client_id: client.clientId,
    },
  };

  const customisation = await preTokenGeneration(services, pool, {
    source: 'TokenGeneration_ClientCredentials',
    userName: client.clientId,
    clientId: client.clientId,
    userAttributes: () => ({}),
    groupConfiguration: () => ({ groupsToOverride: [], iamRolesToOverride: [], preferredRole: null }),
    scopes,
    clientMetadata: request.clientMetadata,
  });
  if (customisation) {
    // A machine has no groups to override.
    applyCustomisation(claims, { ...customisation, groupOverride: {} }, scopes);
  }

  const accessToken = await signToken(services, pool.id, 'access', claims.access);
  return { accessToken, expiresIn };
}
