import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireGroup } from './group-shape.js';

/**
 * DeleteGroup. Memberships go with the group, so tokens issued afterwards no longer name it.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteGroup.html
 */
export const deleteGroup = defineOperation('DeleteGroup', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const group = await requireGroup(services, pool.id, input.GroupName);
  await services.store.groups.delete(pool.id, group.name);
  return {};
});
