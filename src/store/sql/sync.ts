import type { Kysely } from 'kysely';
import type { Database, SyncDatasetRow, SyncDeviceRow, SyncRecordRow } from '../schema.js';
import type { SyncDatasetRecord, SyncDeviceRecord, SyncPoolSettings, SyncRecordEntry, SyncStore, SyncUpdate, SyncUsage } from '../ports.js';
import type { BulkPublishStatus } from '../../generated/cognito-sync/shapes.js';
import { atomic } from './atomic.js';

function datasetOf(row: SyncDatasetRow): SyncDatasetRecord {
  return {
    identityId: row.identity_id,
    name: row.name,
    identityPoolId: row.identity_pool_id,
    syncCount: Number(row.sync_count),
    deleted: Number(row.deleted) === 1,
    numRecords: Number(row.num_records),
    dataStorage: Number(row.data_storage),
    lastModifiedBy: row.last_modified_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function datasetRow(dataset: SyncDatasetRecord): SyncDatasetRow {
  return {
    identity_id: dataset.identityId,
    name: dataset.name,
    identity_pool_id: dataset.identityPoolId,
    sync_count: dataset.syncCount,
    deleted: dataset.deleted ? 1 : 0,
    num_records: dataset.numRecords,
    data_storage: dataset.dataStorage,
    last_modified_by: dataset.lastModifiedBy,
    created_at: dataset.createdAt,
    updated_at: dataset.updatedAt,
  };
}

function recordOf(row: SyncRecordRow): SyncRecordEntry {
  return {
    key: row.record_key,
    value: row.value ?? undefined,
    syncCount: Number(row.sync_count),
    lastModifiedBy: row.last_modified_by,
    updatedAt: Number(row.updated_at),
    deviceUpdatedAt: row.device_updated_at === null ? undefined : Number(row.device_updated_at),
  };
}

function deviceOf(row: SyncDeviceRow): SyncDeviceRecord {
  return {
    deviceId: row.device_id,
    identityPoolId: row.identity_pool_id,
    identityId: row.identity_id,
    platform: row.platform,
    token: row.token,
    createdAt: Number(row.created_at),
  };
}

/** Parses stored JSON of a structure, or undefined when none was stored. */
function parsed<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

export class SqlSyncStore implements SyncStore {
  constructor(private readonly db: Kysely<Database>) {}

  async dataset(identityId: string, name: string): Promise<SyncDatasetRecord | undefined> {
    const row = await this.db
      .selectFrom('sync_datasets')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && datasetOf(row);
  }

  async datasets(identityId: string, limit: number, after?: string): Promise<SyncDatasetRecord[]> {
    let query = this.db
      .selectFrom('sync_datasets')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('deleted', '=', 0)
      .orderBy('name')
      .limit(limit);
    if (after !== undefined) query = query.where('name', '>', after);
    return (await query.execute()).map(datasetOf);
  }

  async records(identityId: string, name: string, after: number, limit: number, afterKey?: string): Promise<SyncRecordEntry[]> {
    let query = this.db
      .selectFrom('sync_records')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('dataset_name', '=', name)
      .where('sync_count', '>', after)
      .orderBy('record_key')
      .limit(limit);
    if (afterKey !== undefined) query = query.where('record_key', '>', afterKey);
    return (await query.execute()).map(recordOf);
  }

  async recordsByKey(identityId: string, name: string, keys: readonly string[]): Promise<SyncRecordEntry[]> {
    if (keys.length === 0) return [];
    const rows = await this.db
      .selectFrom('sync_records')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('dataset_name', '=', name)
      .where('record_key', 'in', [...keys])
      .execute();
    return rows.map(recordOf);
  }

  async commitUpdate(update: SyncUpdate): Promise<boolean> {
    const { dataset } = update;
    return atomic(this.db, async (db) => {
      if (update.fromSyncCount === undefined) {
        const inserted = await db
          .insertInto('sync_datasets')
          .values(datasetRow(dataset))
          .onConflict((oc) => oc.columns(['identity_id', 'name']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      } else {
        // The conditional write that decides between concurrent updates: only one finds the count it read.
        const { identity_id, name, ...changes } = datasetRow(dataset);
        const updated = await db
          .updateTable('sync_datasets')
          .set(changes)
          .where('identity_id', '=', identity_id)
          .where('name', '=', name)
          .where('sync_count', '=', update.fromSyncCount)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return false;
      }
      for (const record of update.records) {
        const row: SyncRecordRow = {
          identity_id: dataset.identityId,
          dataset_name: dataset.name,
          record_key: record.key,
          identity_pool_id: dataset.identityPoolId,
          value: record.value ?? null,
          sync_count: record.syncCount,
          last_modified_by: record.lastModifiedBy,
          updated_at: record.updatedAt,
          device_updated_at: record.deviceUpdatedAt ?? null,
        };
        const { identity_id: _i, dataset_name: _d, record_key: _k, ...changes } = row;
        await db
          .insertInto('sync_records')
          .values(row)
          .onConflict((oc) => oc.columns(['identity_id', 'dataset_name', 'record_key']).doUpdateSet(changes))
          .execute();
      }
      return true;
    });
  }

  async useToken(tokenId: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto('sync_used_tokens')
      .values({ token_id: tokenId, expires_at: expiresAt })
      .onConflict((oc) => oc.column('token_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteDataset(identityId: string, name: string, at: number): Promise<boolean> {
    return atomic(this.db, async (db) => {
      const row = await db
        .selectFrom('sync_datasets')
        .select('sync_count')
        .where('identity_id', '=', identityId)
        .where('name', '=', name)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      if (!row) return false;
      await db
        .updateTable('sync_datasets')
        .set({ deleted: 1, sync_count: Number(row.sync_count) + 1, num_records: 0, data_storage: 0, updated_at: at })
        .where('identity_id', '=', identityId)
        .where('name', '=', name)
        .execute();
      await db.deleteFrom('sync_records').where('identity_id', '=', identityId).where('dataset_name', '=', name).execute();
      await db.deleteFrom('sync_subscriptions').where('identity_id', '=', identityId).where('dataset_name', '=', name).execute();
      return true;
    });
  }

  private async usage(column: 'identity_id' | 'identity_pool_id', id: string): Promise<SyncUsage> {
    const row = await this.db
      .selectFrom('sync_datasets')
      .select((eb) => [
        eb.fn.countAll<number>().as('datasets'),
        eb.fn.sum<number | null>('data_storage').as('storage'),
        eb.fn.max<number | null>('updated_at').as('modified'),
      ])
      .where(column, '=', id)
      .where('deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return {
      datasetCount: Number(row.datasets),
      dataStorage: Number(row.storage ?? 0),
      lastModified: row.modified === null ? undefined : Number(row.modified),
    };
  }

  identityUsage(identityId: string): Promise<SyncUsage> {
    return this.usage('identity_id', identityId);
  }

  poolUsage(identityPoolId: string): Promise<SyncUsage> {
    return this.usage('identity_pool_id', identityPoolId);
  }

  async settings(identityPoolId: string): Promise<SyncPoolSettings | undefined> {
    const row = await this.db
      .selectFrom('sync_pool_settings')
      .selectAll()
      .where('identity_pool_id', '=', identityPoolId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      identityPoolId: row.identity_pool_id,
      events: JSON.parse(row.events) as Record<string, string>,
      pushSync: parsed(row.push_sync),
      cognitoStreams: parsed(row.cognito_streams),
      bulkPublish: {
        status: row.bulk_publish_status as BulkPublishStatus,
        startedAt: row.bulk_publish_started_at === null ? undefined : Number(row.bulk_publish_started_at),
        completedAt: row.bulk_publish_completed_at === null ? undefined : Number(row.bulk_publish_completed_at),
        failure: row.bulk_publish_failure ?? undefined,
      },
      syncSessions: Number(row.sync_sessions),
      updatedAt: Number(row.updated_at),
    };
  }

  async putSettings(settings: SyncPoolSettings): Promise<void> {
    const row = {
      identity_pool_id: settings.identityPoolId,
      events: JSON.stringify(settings.events),
      push_sync: settings.pushSync === undefined ? null : JSON.stringify(settings.pushSync),
      cognito_streams: settings.cognitoStreams === undefined ? null : JSON.stringify(settings.cognitoStreams),
      bulk_publish_status: settings.bulkPublish.status,
      bulk_publish_started_at: settings.bulkPublish.startedAt ?? null,
      bulk_publish_completed_at: settings.bulkPublish.completedAt ?? null,
      bulk_publish_failure: settings.bulkPublish.failure ?? null,
      sync_sessions: settings.syncSessions,
      updated_at: settings.updatedAt,
    };
    const { identity_pool_id: _id, sync_sessions: _sessions, ...changes } = row;
    await this.db
      .insertInto('sync_pool_settings')
      .values(row)
      .onConflict((oc) => oc.column('identity_pool_id').doUpdateSet(changes))
      .execute();
  }

  async countSyncSession(identityPoolId: string, at: number): Promise<void> {
    await this.db
      .insertInto('sync_pool_settings')
      .values({
        identity_pool_id: identityPoolId,
        events: '{}',
        push_sync: null,
        cognito_streams: null,
        bulk_publish_status: 'NOT_STARTED',
        bulk_publish_started_at: null,
        bulk_publish_completed_at: null,
        bulk_publish_failure: null,
        sync_sessions: 1,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column('identity_pool_id').doUpdateSet((eb) => ({ sync_sessions: eb('sync_pool_settings.sync_sessions', '+', 1) })),
      )
      .execute();
  }

  async registerDevice(device: SyncDeviceRecord): Promise<SyncDeviceRecord> {
    return atomic(this.db, async (db) => {
      const known = await db
        .selectFrom('sync_devices')
        .selectAll()
        .where('identity_id', '=', device.identityId)
        .where('platform', '=', device.platform)
        .where('token', '=', device.token)
        .executeTakeFirst();
      if (known) return deviceOf(known);
      await db
        .insertInto('sync_devices')
        .values({
          device_id: device.deviceId,
          identity_pool_id: device.identityPoolId,
          identity_id: device.identityId,
          platform: device.platform,
          token: device.token,
          created_at: device.createdAt,
        })
        .execute();
      return device;
    });
  }

  async device(deviceId: string): Promise<SyncDeviceRecord | undefined> {
    const row = await this.db.selectFrom('sync_devices').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
    return row && deviceOf(row);
  }

  async subscribe(identityPoolId: string, identityId: string, name: string, deviceId: string): Promise<void> {
    await this.db
      .insertInto('sync_subscriptions')
      .values({ identity_pool_id: identityPoolId, identity_id: identityId, dataset_name: name, device_id: deviceId })
      .onConflict((oc) => oc.columns(['identity_id', 'dataset_name', 'device_id']).doNothing())
      .execute();
  }

  async unsubscribe(identityId: string, name: string, deviceId: string): Promise<void> {
    await this.db
      .deleteFrom('sync_subscriptions')
      .where('identity_id', '=', identityId)
      .where('dataset_name', '=', name)
      .where('device_id', '=', deviceId)
      .execute();
  }

  async subscribers(identityId: string, name: string): Promise<SyncDeviceRecord[]> {
    const rows = await this.db
      .selectFrom('sync_subscriptions')
      .innerJoin('sync_devices', 'sync_devices.device_id', 'sync_subscriptions.device_id')
      .selectAll('sync_devices')
      .where('sync_subscriptions.identity_id', '=', identityId)
      .where('sync_subscriptions.dataset_name', '=', name)
      .orderBy('sync_devices.device_id')
      .execute();
    return rows.map(deviceOf);
  }

  async moveIdentity(sourceId: string, destinationId: string): Promise<void> {
    await atomic(this.db, async (db) => {
      // The source's tombstones have nothing left to tell the destination's devices.
      await db.deleteFrom('sync_datasets').where('identity_id', '=', sourceId).where('deleted', '=', 1).execute();
      const taken = new Set(
        (await db.selectFrom('sync_datasets').select('name').where('identity_id', '=', destinationId).execute()).map((row) => row.name),
      );
      const moved = await db.selectFrom('sync_datasets').select('name').where('identity_id', '=', sourceId).execute();
      for (const { name } of moved) {
        const target = taken.has(name) ? `${name}.${sourceId}` : name;
        await db
          .updateTable('sync_datasets')
          .set({ identity_id: destinationId, name: target })
          .where('identity_id', '=', sourceId)
          .where('name', '=', name)
          .execute();
        for (const table of ['sync_records', 'sync_subscriptions'] as const) {
          await db
            .updateTable(table)
            .set({ identity_id: destinationId, dataset_name: target })
            .where('identity_id', '=', sourceId)
            .where('dataset_name', '=', name)
            .execute();
        }
      }
      await db.updateTable('sync_devices').set({ identity_id: destinationId }).where('identity_id', '=', sourceId).execute();
    });
  }

  async poolRecords(identityPoolId: string): Promise<Array<{ identityId: string; datasetName: string; record: SyncRecordEntry }>> {
    const rows = await this.db
      .selectFrom('sync_records')
      .selectAll()
      .where('identity_pool_id', '=', identityPoolId)
      .where('value', 'is not', null)
      .orderBy('identity_id')
      .orderBy('dataset_name')
      .orderBy('record_key')
      .execute();
    return rows.map((row) => ({ identityId: row.identity_id, datasetName: row.dataset_name, record: recordOf(row) }));
  }

  async deleteIdentity(identityId: string): Promise<void> {
    await atomic(this.db, async (db) => {
      for (const table of ['sync_records', 'sync_subscriptions', 'sync_devices', 'sync_datasets'] as const) {
        await db.deleteFrom(table).where('identity_id', '=', identityId).execute();
      }
    });
  }

  async deleteForPool(identityPoolId: string): Promise<void> {
    await atomic(this.db, async (db) => {
      for (const table of ['sync_records', 'sync_subscriptions', 'sync_devices', 'sync_datasets', 'sync_pool_settings'] as const) {
        await db.deleteFrom(table).where('identity_pool_id', '=', identityPoolId).execute();
      }
    });
  }

  async deleteExpiredTokens(before: number): Promise<number> {
    const result = await this.db.deleteFrom('sync_used_tokens').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
