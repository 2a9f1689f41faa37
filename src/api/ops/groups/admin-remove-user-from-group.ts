import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireGroup } from './group-shape.js';
import { requireUser } from '../../lookup.js';

/**
 * AdminRemoveUserFromGroup. Removing a user who is not a member succeeds, as in Cognito.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRemoveUserFromGroup.html
 */
export const adminRemoveUserFromGroup = defineOperation('AdminRemoveUserFromGroup', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const group = await requireGroup(services, pool.id, input.GroupName);
  const user = await requireUser(services, pool, input.Username);
  await services.store.groups.removeMember(pool.id, group.name, user.usernameKey);
  return {};
});
