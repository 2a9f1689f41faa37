import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { toGroupType } from './group-shape.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';

/**
 * ListGroups: the pool's groups in name order, `Limit` (at most 60) at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html
 */
export const listGroups = defineOperation('ListGroups', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const after = decodePageToken(input.NextToken, requestId);
  const size = pageSize(input.Limit);
  const rows = await services.store.groups.list(pool.id, size + 1, after);
  const page = slicePage(rows, size, (group) => group.name);
  return { Groups: page.items.map(toGroupType), ...(page.next ? { NextToken: page.next } : {}) };
});
