import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { GroupExistsException } from '../../../generated/cognito-idp/errors.js';
import type { GroupRecord } from '../../../store/ports.js';
import { toGroupType } from './group-shape.js';

/**
 * CreateGroup.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html
 */
export const createGroup = defineOperation('CreateGroup', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const now = services.clock.now();
  const group: GroupRecord = {
    poolId: pool.id,
    name: input.GroupName,
    description: input.Description ?? null,
    roleArn: input.RoleArn ?? null,
    precedence: input.Precedence ?? null,
    createdAt: now,
    updatedAt: now,
  };
  // The insert itself decides a race between two creates of one name.
  if (!(await services.store.groups.create(group))) {
    throw new GroupExistsException(`A group with the name ${input.GroupName} already exists.`);
  }
  return { Group: toGroupType(group) };
});
