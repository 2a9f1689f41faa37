import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';

/**
 * AdminEnableUser: lets a disabled user sign in again. Sessions revoked by AdminDisableUser stay
 * revoked.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html
 */
export const adminEnableUser = defineOperation('AdminEnableUser', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  await services.store.users.update({ ...user, enabled: true, updatedAt: services.clock.now() });
  return {};
});
