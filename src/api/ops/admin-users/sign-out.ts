import type { Services } from '../../../services.js';
import type { UserRecord } from '../../../store/ports.js';

/**
 * Ends every session of the user: revokes each refresh-token family (so the access and ID tokens
 * that name those families are refused too) and moves `tokensValidAfter` to now, which
 * authenticateAccessToken checks. Returns the user to save; the refresh tokens are revoked here.
 *
 * Used by AdminUserGlobalSignOut and AdminDisableUser ("revokes all access tokens for the user").
 */
export async function signOutEverywhere(services: Services, user: UserRecord): Promise<UserRecord> {
  const now = services.clock.now();
  await services.store.refreshTokens.revokeAllForUser(user.poolId, user.usernameKey, now);
  return { ...user, tokensValidAfter: now };
}
