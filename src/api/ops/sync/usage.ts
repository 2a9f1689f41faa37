import { defineSyncOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';
import type { Services } from '../../../services.js';
import type { IdentityPoolUsage } from '../../../generated/cognito-sync/shapes.js';
import { requireSyncIdentity, requireSyncPool, syncSettings } from './sync-shape.js';

/** Seconds since the epoch, or nothing when there is no date. */
function date(ms: number | undefined): { LastModifiedDate?: number } {
  return ms === undefined ? {} : { LastModifiedDate: Math.floor(ms / 1000) };
}

/** A pool's usage: its sync sessions (UpdateRecords calls that changed data) and the bytes its datasets hold. */
async function poolUsage(services: Services, identityPoolId: string): Promise<IdentityPoolUsage> {
  const usage = await services.store.sync.poolUsage(identityPoolId);
  return {
    IdentityPoolId: identityPoolId,
    SyncSessionsCount: (await syncSettings(services, identityPoolId)).syncSessions,
    DataStorage: usage.dataStorage,
    ...date(usage.lastModified),
  };
}

/**
 * DescribeIdentityPoolUsage (admin): the pool's sync sessions and data storage.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_DescribeIdentityPoolUsage.html
 */
export const describeIdentityPoolUsage = defineSyncOperation('DescribeIdentityPoolUsage', async (input, { services }) => {
  await requireSyncPool(services, input.IdentityPoolId);
  return { IdentityPoolUsage: await poolUsage(services, input.IdentityPoolId) };
});

/**
 * ListIdentityPoolUsage (admin): every identity pool's usage, in pool ID order, a page at a time
 * (MaxResults up to 60, the default).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_ListIdentityPoolUsage.html
 */
export const listIdentityPoolUsage = defineSyncOperation('ListIdentityPoolUsage', async (input, { services, requestId }) => {
  const size = input.MaxResults === undefined || input.MaxResults < 1 ? 60 : Math.min(input.MaxResults, 60);
  const after = decodePageToken(input.NextToken, requestId);
  const page = slicePage(await services.store.identityPools.list(size + 1, after), size, (pool) => pool.id);
  const usages: IdentityPoolUsage[] = [];
  for (const pool of page.items) usages.push(await poolUsage(services, pool.id));
  return { IdentityPoolUsages: usages, MaxResults: size, Count: usages.length, ...(page.next ? { NextToken: page.next } : {}) };
});

/**
 * DescribeIdentityUsage (admin): an identity's dataset count and data storage.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_DescribeIdentityUsage.html
 */
export const describeIdentityUsage = defineSyncOperation('DescribeIdentityUsage', async (input, { services }) => {
  const identity = await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  const usage = await services.store.sync.identityUsage(input.IdentityId);
  return {
    IdentityUsage: {
      IdentityId: input.IdentityId,
      IdentityPoolId: input.IdentityPoolId,
      ...date(usage.lastModified ?? identity.updatedAt),
      DatasetCount: usage.datasetCount,
      DataStorage: usage.dataStorage,
    },
  };
});
