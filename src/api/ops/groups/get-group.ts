import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireGroup, toGroupType } from './group-shape.js';

/**
 * GetGroup.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetGroup.html
 */
export const getGroup = defineOperation('GetGroup', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return { Group: toGroupType(await requireGroup(services, pool.id, input.GroupName)) };
});
