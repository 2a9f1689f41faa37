import { decodeJwt } from './jwt.js';
import { NotAuthorizedException, UserNotFoundException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { poolIdFromIssuer } from './issuer.js';
import { issuedBeforeSignOut, poolThatSigned } from './pool-signature.js';
import { usernameKey } from '../auth/resolve-user.js';

export interface AccessTokenClaims {
  token_use: string;
  sub: string;
  client_id: string;
  username: string;
  origin_jti: string;
  scope: string;
  iat: number;
  exp: number;
  auth_time: number;
  jti: string;
  device_key?: string;
}

export interface AuthenticatedUser {
  pool: UserPoolRecord;
  user: UserRecord;
  claims: AccessTokenClaims;
}

const invalid = (): NotAuthorizedException => new NotAuthorizedException('Invalid Access Token');

/**
 * The pool and claims of an access token of any kind: a signature by the pool's access key under
 * its issuer, not expired, `token_use` access, a `scope`.
 */
async function verifiedAccessToken(services: Services, token: string): Promise<{ pool: UserPoolRecord; claims: AccessTokenClaims }> {
  const jwt = decodeJwt(token);
  const issuer = jwt?.payload['iss'];
  const poolId = typeof issuer === 'string' ? poolIdFromIssuer(services, issuer) : undefined;
  const pool = jwt && poolId && (await poolThatSigned(services, jwt, poolId));
  if (!jwt || !pool) throw invalid();
  const claims = jwt.payload as unknown as AccessTokenClaims;
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') throw invalid();
  if (claims.exp * 1000 <= services.clock.now()) throw new NotAuthorizedException('Access Token has expired');
  if (claims.token_use !== 'access' || typeof claims.scope !== 'string') throw invalid();
  return { pool, claims };
}

/** Refuses a token whose `scope` has none of `requiredScope`. */
function requireScope(claims: AccessTokenClaims, requiredScope: string | readonly string[]): void {
  const granted = claims.scope.split(' ');
  if (!(typeof requiredScope === 'string' ? [requiredScope] : requiredScope).some((scope) => granted.includes(scope))) {
    throw new NotAuthorizedException('Access Token does not have required scopes');
  }
}

/**
 * Authenticates the `AccessToken` of a self-service operation (GetUser, ChangePassword, ...): a
 * signature by the pool's access key, `token_use` access, not expired, the API scope, the user
 * still there and enabled, not signed out globally after it was issued, its family not revoked.
 * The userInfo endpoint asks for `openid` instead of the API scope; the gateway for any one of a
 * route's scopes.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
export async function authenticateAccessToken(
  services: Services,
  token: string,
  requiredScope: string | readonly string[] = 'aws.cognito.signin.user.admin',
): Promise<AuthenticatedUser> {
  const { pool, claims } = await verifiedAccessToken(services, token);
  if (typeof claims.username !== 'string') throw invalid();
  requireScope(claims, requiredScope);
  const found = await services.store.users.getSignedIn(pool.id, usernameKey(pool, claims.username), claims.origin_jti);
  const user = found?.user;
  if (!user || user.sub !== claims.sub) throw new UserNotFoundException('User does not exist.');
  // Sign-out revokes every refresh-token family of the user, and each access token names its
  // family (origin_jti); the whole-second check also covers tokens from before the families existed.
  if (issuedBeforeSignOut(user, claims.iat) || found.familyRevoked) {
    throw new NotAuthorizedException('Access Token has been revoked');
  }
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { pool, user, claims };
}

/**
 * Authenticates a machine-to-machine access token (the client_credentials grant: no user, the
 * client its own subject) presented to a resource: as any access token, with one of
 * `requiredScope`, and its app client still there.
 */
export async function authenticateClientAccessToken(
  services: Services,
  token: string,
  requiredScope: readonly string[],
): Promise<{ pool: UserPoolRecord; claims: AccessTokenClaims }> {
  const { pool, claims } = await verifiedAccessToken(services, token);
  if (claims.username !== undefined || claims.sub !== claims.client_id) throw invalid();
  requireScope(claims, requiredScope);
  if (!(await services.store.clients.get(pool.id, claims.client_id))) throw invalid();
  return { pool, claims };
}
