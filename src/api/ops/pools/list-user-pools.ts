import { defineOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { toUserPoolDescription } from './pool-shape.js';

/**
 * ListUserPools: the pools in ID order, MaxResults (1-60, required) at a time, with an opaque
 * NextToken while more remain. `ReplicaRegions` lists the Regions of a pool's secondary replicas
 * (CreateUserPoolReplica), on pools that have any.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html
 */
export const listUserPools = defineOperation('ListUserPools', async (input, { services, requestId }) => {
  const after = decodePageToken(input.NextToken ?? undefined, requestId);
  const rows = await services.store.pools.list(input.MaxResults + 1, after);
  const page = slicePage(rows, input.MaxResults, (pool) => pool.id);
  const replicaRegions = await services.store.userPoolReplicas.regionsOf(page.items.map((pool) => pool.id));
  const pools = page.items.map((pool) => {
    const regions = replicaRegions.get(pool.id);
    return { ...toUserPoolDescription(pool), ...(regions ? { ReplicaRegions: regions } : {}) };
  });
  return { UserPools: pools, ...(page.next ? { NextToken: page.next } : {}) };
});
