import { LimitExceededException, ResourceConflictException } from '../../../generated/cognito-sync/errors.js';
import { applyPatches, SYNC_LIMITS } from '../../../domain/cognito-sync.js';
import { defineSyncOperation } from '../../define-operation.js';
import { triggeredPatches } from './sync-trigger.js';
import { pushDatasetChange } from './push.js';
import { invalidSession, modifiedBy, openSyncSession, recordShape, requireSyncIdentity } from './sync-shape.js';

/** Another update of the dataset committed between this one's reads and its write. */
class LostRace extends Error {}

/** How often an update that lost a race is computed again before the caller is told to sync again. */
const ATTEMPTS = 5;

/**
 * UpdateRecords: applies the device's patches (`replace`, `remove`) to the dataset, creating it
 * if need be, with the SyncSessionToken of the ListRecords before it, which works once. Each patch
 * names the sync count it last saw of its record; a record changed since is Cognito's
 * ResourceConflictException (409), and nothing of the update is written. Written records take the
 * dataset's next sync count. Limits: 20 datasets per identity, 1024 records and 1 MB per dataset.
 * The pool's SyncTrigger function sees the patches first and may change them (sync-trigger.ts);
 * the dataset's subscribed devices are told afterwards (push.ts).
 *
 * The dataset's sync count is raised only where it still is what this update read (a conditional
 * write in one transaction, on SQLite and PostgreSQL alike), so of two devices updating at once
 * exactly one wins; the other's update is computed again on what the winner wrote, and conflicts
 * if they changed the same record.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_UpdateRecords.html
 */
export const updateRecords = defineSyncOperation('UpdateRecords', async (input, context) => {
  const { services } = context;
  const { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: name } = input;
  await requireSyncIdentity(services, poolId, identityId);
  const session = openSyncSession(services, input.SyncSessionToken, poolId, identityId, name);
  const patches = await triggeredPatches(services, input, input.RecordPatches ?? []);
  const change = { at: services.clock.now(), by: modifiedBy(context, identityId) };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const { answer, syncCount } = await services.store.transaction(async (store) => {
        if (!(await store.sync.useToken(session.id, session.expiresAt))) throw invalidSession();
        const existing = await store.sync.dataset(identityId, name);
        const live = existing !== undefined && !existing.deleted;
        if (!live && (await store.sync.identityUsage(identityId)).datasetCount >= SYNC_LIMITS.datasets) {
          throw new LimitExceededException(`An identity can have at most ${SYNC_LIMITS.datasets} datasets.`);
        }
        const base = live ? existing : { syncCount: existing?.syncCount ?? 0, numRecords: 0, dataStorage: 0 };
        const current = live ? await store.sync.recordsByKey(identityId, name, [...new Set(patches.map((patch) => patch.Key))]) : [];
        const patched = applyPatches(base, current, patches, change);
        const committed = await store.sync.commitUpdate({
          dataset: {
            identityId,
            name,
            identityPoolId: poolId,
            syncCount: patched.syncCount,
            deleted: false,
            numRecords: patched.numRecords,
            dataStorage: patched.dataStorage,
            lastModifiedBy: change.by,
            createdAt: live ? existing.createdAt : change.at,
            updatedAt: change.at,
          },
          fromSyncCount: existing?.syncCount,
          records: patched.records,
        });
        if (!committed) throw new LostRace();
        await store.sync.countSyncSession(poolId, change.at);
        return { answer: { Records: patched.records.map(recordShape) }, syncCount: patched.syncCount };
      });
      pushDatasetChange(services, { identityPoolId: poolId, identityId, datasetName: name, syncCount, sourceDeviceId: input.DeviceId });
      return answer;
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
    }
  }
  throw new ResourceConflictException('The dataset kept changing while this update was applied; list its records and sync again.');
});
