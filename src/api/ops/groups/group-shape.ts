import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { GroupType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { GroupRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';

/** The GroupType of every group operation; unset optional members are left out, as Cognito does. */
export function toGroupType(group: GroupRecord): GroupType {
  const shape: GroupType = { GroupName: group.name, UserPoolId: group.poolId };
  if (group.description !== null) shape.Description = group.description;
  if (group.roleArn !== null) shape.RoleArn = group.roleArn;
  if (group.precedence !== null) shape.Precedence = group.precedence;
  shape.LastModifiedDate = epochSeconds(group.updatedAt);
  shape.CreationDate = epochSeconds(group.createdAt);
  return shape;
}

/**
 * The group, or Cognito's ResourceNotFoundException "Group not found." (text seen in real
 * AdminAddUserToGroup responses, e.g. https://github.com/aws-amplify/amplify-cli/issues/2214).
 */
export async function requireGroup(services: Services, poolId: string, name: string): Promise<GroupRecord> {
  const group = await services.store.groups.get(poolId, name);
  if (!group) throw new ResourceNotFoundException('Group not found.');
  return group;
}
