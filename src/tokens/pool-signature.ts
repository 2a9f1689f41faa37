import { hasValidRs256Signature, type DecodedJwt } from './jwt.js';
import { issuerFor } from './issuer.js';
import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';

/**
 * The user pool `poolId` when it signed `jwt`: the header's `kid` is one of its keys, the
 * signature checks with that key, and `iss` is the pool's issuer. Undefined otherwise (no such
 * pool, an unknown key, a forged signature or a foreign issuer). Every check of a Cognate user pool
 * token starts here: access tokens of the self-service calls, ID tokens in identity pool logins.
 */
export async function poolThatSigned(
  services: Pick<Services, 'store' | 'keys' | 'config' | 'publicUrl'>,
  jwt: DecodedJwt,
  poolId: string,
): Promise<UserPoolRecord | undefined> {
  const kid = jwt.header['kid'];
  if (typeof kid !== 'string') return undefined;
  const pool = await services.store.pools.get(poolId);
  const key = pool && (await services.keys.verificationKey(pool.id, kid));
  if (!pool || !key || jwt.payload['iss'] !== issuerFor(services, pool)) return undefined;
  return (await hasValidRs256Signature(jwt, key)) ? pool : undefined;
}

/**
 * Whether a token the user was issued at `iat` (seconds) predates their global sign-out. Sign-out
 * is kept in milliseconds and tokens carry whole seconds, so the comparison is in whole seconds.
 */
export function issuedBeforeSignOut(user: Pick<UserRecord, 'tokensValidAfter'>, iat: number): boolean {
  return iat * 1000 < Math.floor(user.tokensValidAfter / 1000) * 1000;
}
