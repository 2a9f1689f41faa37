import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireGroup } from './group-shape.js';
import { requireUser } from '../../lookup.js';

/**
 * AdminAddUserToGroup. Adding a member twice is not an error.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminAddUserToGroup.html
 */
export const adminAddUserToGroup = defineOperation('AdminAddUserToGroup', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const group = await requireGroup(services, pool.id, input.GroupName);
  const user = await requireUser(services, pool, input.Username);
  await services.store.groups.addMember(pool.id, group.name, user.usernameKey);
  return {};
});
