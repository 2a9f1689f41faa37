import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import type { GroupRecord } from '../../../store/ports.js';
import { requireGroup, toGroupType } from './group-shape.js';

/**
 * UpdateGroup. Only the members given change: unlike UpdateUserPool and UpdateUserPoolClient,
 * Cognito documents no reset to defaults here ("updates any of the properties"), and its own
 * example omits RoleArn yet answers with the group's existing role.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateGroup.html
 */
export const updateGroup = defineOperation('UpdateGroup', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const group = await requireGroup(services, pool.id, input.GroupName);
  const updated: GroupRecord = {
    ...group,
    description: input.Description ?? group.description,
    roleArn: input.RoleArn ?? group.roleArn,
    precedence: input.Precedence ?? group.precedence,
    updatedAt: services.clock.now(),
  };
  await services.store.groups.update(updated);
  return { Group: toGroupType(updated) };
});
