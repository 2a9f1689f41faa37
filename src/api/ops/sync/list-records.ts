import { InvalidParameterException } from '../../../generated/cognito-sync/errors.js';
import { SYNC_LIMITS } from '../../../domain/cognito-sync.js';
import { defineSyncOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { issueSyncSession, recordShape, requireSyncIdentity } from './sync-shape.js';

/**
 * ListRecords: the records changed since the device's `LastSyncCount` (all of them without it),
 * removed ones included without a value so the device removes them too, with the dataset's sync
 * count and a new SyncSessionToken for the UpdateRecords that follows. A dataset never written
 * answers no records and `DatasetExists` false; a deleted one says whether it was deleted after
 * the device's count. Datasets merged in from another identity are named in MergedDatasetNames
 * (`<name>.<identity ID>`). A count past the dataset's is Cognito's InvalidParameterException.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_ListRecords.html
 */
export const listRecords = defineSyncOperation('ListRecords', async (input, { services, requestId }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  const dataset = await services.store.sync.dataset(input.IdentityId, input.DatasetName);
  const live = dataset !== undefined && !dataset.deleted;
  const syncCount = dataset?.syncCount ?? 0;
  const last = input.LastSyncCount ?? 0;
  if (last > syncCount) throw new InvalidParameterException(`No such SyncCount: ${last} exists for this Dataset`);
  const size =
    input.MaxResults === undefined || input.MaxResults < 1 ? SYNC_LIMITS.records : Math.min(input.MaxResults, SYNC_LIMITS.records);
  const after = decodePageToken(input.NextToken, requestId);
  const rows = live ? await services.store.sync.records(input.IdentityId, input.DatasetName, last, size + 1, after) : [];
  const page = slicePage(rows, size, (record) => record.key);
  const prefix = `${input.DatasetName}.`;
  const merged = live
    ? (await services.store.sync.datasets(input.IdentityId, SYNC_LIMITS.datasets))
        .map((d) => d.name)
        .filter((name) => name.startsWith(prefix))
    : [];
  return {
    Records: page.items.map(recordShape),
    ...(page.next ? { NextToken: page.next } : {}),
    Count: page.items.length,
    DatasetSyncCount: syncCount,
    ...(dataset ? { LastModifiedBy: dataset.lastModifiedBy } : {}),
    MergedDatasetNames: merged,
    DatasetExists: live,
    DatasetDeletedAfterRequestedSyncCount: dataset?.deleted === true && last < syncCount,
    SyncSessionToken: issueSyncSession(services, input.IdentityPoolId, input.IdentityId, input.DatasetName),
  };
});
