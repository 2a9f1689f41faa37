import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { toGroupType } from './group-shape.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';
import { requireUser } from '../../lookup.js';

/**
 * AdminListGroupsForUser: the user's groups in name order, `Limit` (at most 60) at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListGroupsForUser.html
 */
export const adminListGroupsForUser = defineOperation('AdminListGroupsForUser', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const user = await requireUser(services, pool, input.Username);
  const after = decodePageToken(input.NextToken, requestId);
  const size = pageSize(input.Limit);
  const rows = await services.store.groups.groupsOf(pool.id, user.usernameKey, size + 1, after);
  const page = slicePage(rows, size, (group) => group.name);
  return { Groups: page.items.map(toGroupType), ...(page.next ? { NextToken: page.next } : {}) };
});
