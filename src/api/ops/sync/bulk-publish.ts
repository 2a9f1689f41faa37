import { appendFile } from 'node:fs/promises';
import { AlreadyStreamedException, DuplicateRequestException, InvalidParameterException } from '../../../generated/cognito-sync/errors.js';
import type { SyncBulkPublish } from '../../../store/ports.js';
import { defineSyncOperation } from '../../define-operation.js';
import { requireSyncPool, syncSettings } from './sync-shape.js';

/** A pool bulk published successfully may not be again for a day (AlreadyStreamedException). */
const REPUBLISH_AFTER_MS = 24 * 60 * 60 * 1000;

/** Seconds since the epoch, or nothing when there is no date. */
function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.floor(ms / 1000);
}

/**
 * BulkPublish (admin): publishes every record of the pool's datasets to its stream; here, to the
 * file of the `syncBulkPublishFile` setting, one JSON line per record. The pool needs Cognito
 * Streams configured (SetIdentityPoolConfiguration). One in progress is DuplicateRequestException;
 * one that succeeded less than 24 hours ago is AlreadyStreamedException, as Cognito answers them.
 * It runs to its end before the answer, so GetBulkPublishDetails then says SUCCEEDED (or FAILED,
 * with the reason, when no file is set or it cannot be written).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_BulkPublish.html
 */
export const bulkPublish = defineSyncOperation('BulkPublish', async (input, { services }) => {
  const poolId = input.IdentityPoolId;
  await requireSyncPool(services, poolId);
  const settings = await syncSettings(services, poolId);
  const { bulkPublish: last } = settings;
  if (last.status === 'IN_PROGRESS') throw new DuplicateRequestException('A bulk publish of this identity pool is in progress.');
  if (last.status === 'SUCCEEDED' && last.completedAt !== undefined && services.clock.now() - last.completedAt < REPUBLISH_AFTER_MS) {
    throw new AlreadyStreamedException('This identity pool was bulk published less than 24 hours ago.');
  }
  if (!settings.cognitoStreams?.StreamName) {
    throw new InvalidParameterException('Cognito Streams is not configured for this identity pool.');
  }
  const startedAt = services.clock.now();
  const begun: SyncBulkPublish = { status: 'IN_PROGRESS', startedAt, completedAt: undefined, failure: undefined };
  await services.store.sync.putSettings({ ...settings, bulkPublish: begun, updatedAt: startedAt });
  const finish = async (outcome: Pick<SyncBulkPublish, 'status' | 'failure'>): Promise<void> => {
    const now = services.clock.now();
    await services.store.sync.putSettings({ ...settings, bulkPublish: { ...begun, ...outcome, completedAt: now }, updatedAt: now });
  };
  const file = services.config.syncBulkPublishFile;
  if (file === undefined) {
    await finish({ status: 'FAILED', failure: 'No bulk publish destination is configured (syncBulkPublishFile).' });
    return { IdentityPoolId: poolId };
  }
  try {
    const lines = (await services.store.sync.poolRecords(poolId)).map(({ identityId, datasetName, record }) =>
      JSON.stringify({
        identityPoolId: poolId,
        identityId,
        datasetName,
        streamName: settings.cognitoStreams?.StreamName,
        key: record.key,
        value: record.value,
        syncCount: record.syncCount,
        lastModifiedDate: record.updatedAt,
        lastModifiedBy: record.lastModifiedBy,
      }),
    );
    await appendFile(file, lines.map((line) => `${line}\n`).join(''));
    await finish({ status: 'SUCCEEDED', failure: undefined });
  } catch (error) {
    services.logger.warn({ err: error, identityPoolId: poolId }, 'bulk publish failed');
    await finish({ status: 'FAILED', failure: 'The records could not be written to the bulk publish destination.' });
  }
  return { IdentityPoolId: poolId };
});

/**
 * GetBulkPublishDetails (admin): the pool's last bulk publish: NOT_STARTED, IN_PROGRESS, FAILED
 * (with the reason) or SUCCEEDED, and when it started and ended.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_GetBulkPublishDetails.html
 */
export const getBulkPublishDetails = defineSyncOperation('GetBulkPublishDetails', async (input, { services }) => {
  await requireSyncPool(services, input.IdentityPoolId);
  const { bulkPublish: last } = await syncSettings(services, input.IdentityPoolId);
  return {
    IdentityPoolId: input.IdentityPoolId,
    BulkPublishStatus: last.status,
    ...(last.startedAt === undefined ? {} : { BulkPublishStartTime: seconds(last.startedAt) }),
    ...(last.completedAt === undefined ? {} : { BulkPublishCompleteTime: seconds(last.completedAt) }),
    ...(last.failure === undefined ? {} : { FailureMessage: last.failure }),
  };
});
