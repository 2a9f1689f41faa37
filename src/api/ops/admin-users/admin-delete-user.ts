import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';

/**
 * AdminDeleteUser: removes the user with everything that hangs off it — group memberships and
 * pending codes (the user store drops those with the user) and refresh tokens, so no session of
 * the deleted user survives.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUser.html
 */
export const adminDeleteUser = defineOperation('AdminDeleteUser', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  await services.store.transaction(async (store) => {
    await store.refreshTokens.deleteForUser(pool.id, user.usernameKey);
    await store.codes.deleteForUser(pool.id, user.usernameKey);
    await store.users.delete(pool.id, user.usernameKey);
  });
  return {};
});
