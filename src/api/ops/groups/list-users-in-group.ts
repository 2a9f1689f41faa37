import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { toUserType } from '../../user-shapes.js';
import { requireGroup } from './group-shape.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';

/**
 * ListUsersInGroup: members as UserType (with `Attributes`, like ListUsers), `Limit` (at most 60)
 * at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsersInGroup.html
 */
export const listUsersInGroup = defineOperation('ListUsersInGroup', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const group = await requireGroup(services, pool.id, input.GroupName);
  const after = decodePageToken(input.NextToken, requestId);
  const size = pageSize(input.Limit);
  const rows = await services.store.groups.members(pool.id, group.name, size + 1, after);
  const page = slicePage(rows, size, (user) => user.usernameKey);
  return { Users: page.items.map((user) => toUserType(user)), ...(page.next ? { NextToken: page.next } : {}) };
});
