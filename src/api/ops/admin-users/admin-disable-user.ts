import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { signOutEverywhere } from './sign-out.js';

/**
 * AdminDisableUser: "deactivates a user profile and revokes all access tokens for the user". The
 * user can't sign in, still appears in ListUsers, and every existing session ends (refresh tokens
 * revoked, access tokens refused), so enabling the user again does not bring them back.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html
 */
export const adminDisableUser = defineOperation('AdminDisableUser', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  const signedOut = await signOutEverywhere(services, user);
  await services.store.users.update({ ...signedOut, enabled: false, updatedAt: services.clock.now() });
  return {};
});
