import { defineOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { toUserPoolDescription } from './pool-shape.js';

/**
 * ListUserPools: the pools in ID order, MaxResults (1-60, required) at a time, with an opaque
 * NextToken while more remain.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html
 */
export const listUserPools = defineOperation('ListUserPools', async (input, { services, requestId }) => {
  const after = decodePageToken(input.NextToken ?? undefined, requestId);
  const rows = await services.store.pools.list(input.MaxResults + 1, after);
  const page = slicePage(rows, input.MaxResults, (pool) => pool.id);
  return { UserPools: page.items.map(toUserPoolDescription), ...(page.next ? { NextToken: page.next } : {}) };
});
