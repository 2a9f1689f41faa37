import { LimitExceededException, ResourceConflictException } from '../generated/cognito-sync/errors.js';
import type { RecordPatch } from '../generated/cognito-sync/shapes.js';
import type { SyncDatasetRecord, SyncRecordEntry } from '../store/ports.js';

/**
 * Cognito Sync's rules for datasets and their records, apart from storage and the wire.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html (Cognito Sync)
 */

/**
 * The operations on one identity's data, which that identity's own temporary credentials may call
 * (for that identity only); every other Sync operation is the pool's and takes admin credentials.
 */
export const SYNC_IDENTITY_OPERATIONS: ReadonlySet<string> = new Set([
  'ListDatasets',
  'DescribeDataset',
  'ListRecords',
  'UpdateRecords',
  'DeleteDataset',
  'RegisterDevice',
  'SubscribeToDataset',
  'UnsubscribeFromDataset',
]);

/** Cognito Sync's limits: datasets per identity, bytes per dataset, records per dataset. */
export const SYNC_LIMITS = { datasets: 20, bytes: 1024 * 1024, records: 1024 } as const;

/** What a record takes of its dataset's storage: its key and value in UTF-8 bytes; nothing once removed. */
export function recordSize(record: Pick<SyncRecordEntry, 'key' | 'value'>): number {
  return record.value === undefined ? 0 : Buffer.byteLength(record.key, 'utf8') + Buffer.byteLength(record.value, 'utf8');
}

/** Who made a change, as the dataset and its records report it. */
export interface SyncChange {
  readonly at: number;
  readonly by: string;
}

/** A dataset after an update: its new sync count and totals, and the records the update wrote. */
export interface PatchedDataset {
  readonly syncCount: number;
  readonly numRecords: number;
  readonly dataStorage: number;
  readonly records: SyncRecordEntry[];
}

/**
 * Applies UpdateRecords' patches to a dataset at sync count `syncCount` whose totals are `totals`,
 * given the current records of the patched keys. Each patch must name its record's current sync
 * count (0 for a record never written): otherwise the device missed a change and gets Cognito's
 * ResourceConflictException naming both counts. Every written record takes the dataset's next
 * sync count. The dataset may not grow past 1024 records or 1 MB (LimitExceededException).
 */
export function applyPatches(
  dataset: Pick<SyncDatasetRecord, 'syncCount' | 'numRecords' | 'dataStorage'>,
  current: readonly SyncRecordEntry[],
  patches: readonly RecordPatch[],
  change: SyncChange,
): PatchedDataset {
  const byKey = new Map(current.map((record) => [record.key, record]));
  const written = new Map<string, SyncRecordEntry>();
  const syncCount = dataset.syncCount + 1;
  let { numRecords, dataStorage } = dataset;
  for (const patch of patches) {
    const before = written.get(patch.Key) ?? byKey.get(patch.Key);
    const known = byKey.get(patch.Key)?.syncCount ?? 0;
    if (patch.SyncCount !== known) {
      throw new ResourceConflictException(`Current SyncCount for: ${patch.Key} is: ${known} not: ${patch.SyncCount}`);
    }
    const after: SyncRecordEntry = {
      key: patch.Key,
      value: patch.Op === 'replace' ? (patch.Value ?? '') : undefined,
      syncCount,
      lastModifiedBy: change.by,
      updatedAt: change.at,
      deviceUpdatedAt: patch.DeviceLastModifiedDate === undefined ? undefined : Math.round(patch.DeviceLastModifiedDate * 1000),
    };
    const live = (record: SyncRecordEntry | undefined): number => (record?.value === undefined ? 0 : 1);
    numRecords += live(after) - live(before);
    dataStorage += recordSize(after) - (before ? recordSize(before) : 0);
    written.set(patch.Key, after);
  }
  if (numRecords > SYNC_LIMITS.records) {
    throw new LimitExceededException(`The dataset would have ${numRecords} records; the limit is ${SYNC_LIMITS.records}.`);
  }
  if (dataStorage > SYNC_LIMITS.bytes) {
    throw new LimitExceededException(`The dataset would hold ${dataStorage} bytes; the limit is ${SYNC_LIMITS.bytes}.`);
  }
  return { syncCount, numRecords, dataStorage, records: [...written.values()] };
}
