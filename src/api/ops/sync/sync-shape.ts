import { randomUUID } from 'node:crypto';
import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-sync/errors.js';
import type { Dataset, Record as SyncRecord } from '../../../generated/cognito-sync/shapes.js';
import type { IdentityPoolRecord, IdentityRecord, SyncDatasetRecord, SyncPoolSettings, SyncRecordEntry } from '../../../store/ports.js';
import type { Services } from '../../../services.js';
import type { OperationContext } from '../../define-operation.js';

/** The identity pool of that ID, or Cognito Sync's ResourceNotFoundException naming it. */
export async function requireSyncPool(services: Services, identityPoolId: string): Promise<IdentityPoolRecord> {
  const pool = await services.store.identityPools.get(identityPoolId);
  if (!pool) throw new ResourceNotFoundException(`IdentityPool '${identityPoolId}' not found.`);
  return pool;
}

/** The identity of that ID in that pool, or ResourceNotFoundException naming what is missing. */
export async function requireSyncIdentity(services: Services, identityPoolId: string, identityId: string): Promise<IdentityRecord> {
  await requireSyncPool(services, identityPoolId);
  const identity = await services.store.identities.get(identityId);
  if (identity?.identityPoolId !== identityPoolId) throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
  return identity;
}

/** The dataset's live record, or ResourceNotFoundException naming it. */
export async function requireDataset(services: Services, identityId: string, name: string): Promise<SyncDatasetRecord> {
  const dataset = await services.store.sync.dataset(identityId, name);
  if (!dataset || dataset.deleted) throw new ResourceNotFoundException(`Dataset '${name}' not found.`);
  return dataset;
}

/** Who changes data, as LastModifiedBy reports it: the identity for its own credentials, else the admin key. */
export function modifiedBy(context: OperationContext, identityId: string): string {
  return context.caller?.session ? identityId : (context.caller?.accessKeyId ?? identityId);
}

/** Seconds since the epoch, as the model's timestamps travel. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function datasetShape(dataset: SyncDatasetRecord): Dataset {
  return {
    IdentityId: dataset.identityId,
    DatasetName: dataset.name,
    CreationDate: seconds(dataset.createdAt),
    LastModifiedDate: seconds(dataset.updatedAt),
    LastModifiedBy: dataset.lastModifiedBy,
    DataStorage: dataset.dataStorage,
    NumRecords: dataset.numRecords,
  };
}

export function recordShape(record: SyncRecordEntry): SyncRecord {
  return {
    Key: record.key,
    ...(record.value === undefined ? {} : { Value: record.value }),
    SyncCount: record.syncCount,
    LastModifiedDate: seconds(record.updatedAt),
    LastModifiedBy: record.lastModifiedBy,
    ...(record.deviceUpdatedAt === undefined ? {} : { DeviceLastModifiedDate: seconds(record.deviceUpdatedAt) }),
  };
}

/** The pool's Sync settings, or the ones a pool has before any were set. */
export async function syncSettings(services: Services, identityPoolId: string): Promise<SyncPoolSettings> {
  return (
    (await services.store.sync.settings(identityPoolId)) ?? {
      identityPoolId,
      events: {},
      pushSync: undefined,
      cognitoStreams: undefined,
      bulkPublish: { status: 'NOT_STARTED', startedAt: undefined, completedAt: undefined, failure: undefined },
      syncSessions: 0,
      updatedAt: services.clock.now(),
    }
  );
}

/** What a sync session token says: whose dataset, which use it is, and until when. */
interface SyncSession {
  readonly pool: string;
  readonly identity: string;
  readonly dataset: string;
  readonly id: string;
  readonly expiresAt: number;
}

/** How long a session token from ListRecords stays good for UpdateRecords (Cognate's choice; AWS does not say). */
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

/** Sealed with this context, a token cannot be read, forged or passed off as any other sealed value. */
const SESSION_CONTEXT = 'cognito-sync-session';

/** A new sync session token for the dataset (ListRecords): sealed, so no one can make or alter one. */
export function issueSyncSession(services: Services, identityPoolId: string, identityId: string, datasetName: string): string {
  const session: SyncSession = {
    pool: identityPoolId,
    identity: identityId,
    dataset: datasetName,
    id: randomUUID(),
    expiresAt: services.clock.now() + SESSION_LIFETIME_MS,
  };
  return services.sealer.seal(JSON.stringify(session), SESSION_CONTEXT);
}

/**
 * The session a token from ListRecords opens for this dataset, or the InvalidParameterException
 * Cognito answers a token that is forged, expired, or for other inputs. Whether it was used
 * already is the store's to tell (UpdateRecords marks it used as it commits).
 */
export function openSyncSession(
  services: Services,
  token: string,
  identityPoolId: string,
  identityId: string,
  datasetName: string,
): { id: string; expiresAt: number } {
  const text = services.sealer.openString(token, SESSION_CONTEXT);
  const session = text === null ? undefined : (JSON.parse(text) as SyncSession);
  if (
    !session ||
    session.pool !== identityPoolId ||
    session.identity !== identityId ||
    session.dataset !== datasetName ||
    services.clock.now() >= session.expiresAt
  ) {
    throw invalidSession();
  }
  return { id: session.id, expiresAt: session.expiresAt };
}

/** Cognito's answer to a sync session token it will not take. */
export function invalidSession(): InvalidParameterException {
  return new InvalidParameterException('SyncSessionToken not valid for these inputs');
}
