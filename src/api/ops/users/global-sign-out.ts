import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';

/**
 * GlobalSignOut: revokes every refresh token of the signed-in user and every access token issued
 * so far; those then answer "Access Token has been revoked".
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html
 */
export const globalSignOut = defineOperation('GlobalSignOut', async (input, { services }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  const now = services.clock.now();
  await services.store.refreshTokens.revokeAllForUser(pool.id, user.usernameKey, now);
  await services.store.users.update({ ...user, tokensValidAfter: now, updatedAt: now });
  return {};
});
