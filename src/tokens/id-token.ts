import { decodeJwt } from './jwt.js';
import { NotAuthorizedException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { poolIdFromIssuer } from './issuer.js';
import { issuedBeforeSignOut, poolThatSigned } from './pool-signature.js';
import { usernameKey } from '../auth/resolve-user.js';

export interface AuthenticatedIdToken {
  pool: UserPoolRecord;
  user: UserRecord;
  claims: Record<string, unknown>;
}

/**
 * Authenticates a user pool ID token presented to a resource (the gateway's Cognito authorizer):
 * a signature by one of the pool's keys under its issuer, `token_use` id, not expired, and, as for
 * access tokens, its user still there, enabled and not signed out globally since it was issued.
 * Every failure is NotAuthorizedException.
 */
export async function authenticateIdToken(services: Services, token: string): Promise<AuthenticatedIdToken> {
  const jwt = decodeJwt(token);
  const issuer = jwt?.payload['iss'];
  const poolId = typeof issuer === 'string' ? poolIdFromIssuer(services, issuer) : undefined;
  const pool = jwt && poolId && (await poolThatSigned(services, jwt, poolId));
  if (!jwt || !pool) throw new NotAuthorizedException('Invalid ID Token');
  const { exp, iat, sub, token_use: use } = jwt.payload;
  const username = jwt.payload['cognito:username'];
  if (typeof exp !== 'number' || typeof iat !== 'number' || exp * 1000 <= services.clock.now()) {
    throw new NotAuthorizedException('ID Token has expired');
  }
  if (use !== 'id' || typeof username !== 'string' || typeof sub !== 'string') throw new NotAuthorizedException('Invalid ID Token');
  const user = await services.store.users.get(pool.id, usernameKey(pool, username));
  if (!user || user.sub !== sub || !user.enabled || issuedBeforeSignOut(user, iat)) {
    throw new NotAuthorizedException('ID Token has been revoked');
  }
  return { pool, user, claims: jwt.payload };
}
