import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';

/**
 * DeleteUser: the signed-in user deletes their own profile, with its group memberships, codes and
 * refresh tokens; its access tokens then answer UserNotFoundException.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUser.html
 */
export const deleteUser = defineOperation('DeleteUser', async (input, { services }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  await services.store.refreshTokens.deleteForUser(pool.id, user.usernameKey);
  await services.store.users.delete(pool.id, user.usernameKey);
  return {};
});
