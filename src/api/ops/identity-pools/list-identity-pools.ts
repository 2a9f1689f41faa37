import { defineIdentityOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';

/**
 * ListIdentityPools: the pools in ID order, MaxResults (1-60, required) at a time, each with its ID
 * and name, and an opaque NextToken while more remain.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_ListIdentityPools.html
 */
export const listIdentityPools = defineIdentityOperation('ListIdentityPools', async (input, { services, requestId }) => {
  const after = decodePageToken(input.NextToken, requestId);
  const rows = await services.store.identityPools.list(input.MaxResults + 1, after);
  const page = slicePage(rows, input.MaxResults, (pool) => pool.id);
  return {
    IdentityPools: page.items.map((pool) => ({ IdentityPoolId: pool.id, IdentityPoolName: pool.name })),
    ...(page.next ? { NextToken: page.next } : {}),
  };
});
