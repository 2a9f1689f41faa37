import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Cognito Sync: each identity's datasets, their records, the identity pools' Sync settings
 * (events, push sync, streams, bulk publish), devices registered for push and their dataset
 * subscriptions, and the sync session tokens UpdateRecords has used.
 *
 * A dataset's row outlives DeleteDataset as a tombstone (`deleted` 1), so a device that synced
 * before the deletion learns of it (ListRecords' DatasetDeletedAfterRequestedSyncCount) and a new
 * dataset of that name continues its sync count. A removed record keeps its row with no value, so
 * other devices receive the removal. `sync_count` is the dataset's version: UpdateRecords raises it
 * only where it still is what the update read, which is how one of two concurrent updates wins.
 */
export const cognitoSync = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('sync_datasets')
      .addColumn('identity_id', d.keyType, (c) => c.notNull())
      .addColumn('name', d.keyType, (c) => c.notNull())
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addColumn('sync_count', 'bigint', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .addColumn('num_records', 'bigint', (c) => c.notNull())
      .addColumn('data_storage', 'bigint', (c) => c.notNull())
      .addColumn('last_modified_by', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_datasets_pk', ['identity_id', 'name'])
      .execute();
    // The pool's usage and the pool's deletion.
    await db.schema.createIndex('sync_datasets_pool').on('sync_datasets').columns(['identity_pool_id']).execute();

    await db.schema
      .createTable('sync_records')
      .addColumn('identity_id', d.keyType, (c) => c.notNull())
      .addColumn('dataset_name', d.keyType, (c) => c.notNull())
      .addColumn('record_key', d.keyType, (c) => c.notNull())
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addColumn('value', 'text')
      .addColumn('sync_count', 'bigint', (c) => c.notNull())
      .addColumn('last_modified_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addColumn('device_updated_at', d.timeType)
      .addPrimaryKeyConstraint('sync_records_pk', ['identity_id', 'dataset_name', 'record_key'])
      .execute();
    await db.schema.createIndex('sync_records_pool').on('sync_records').columns(['identity_pool_id']).execute();

    await db.schema
      .createTable('sync_pool_settings')
      .addColumn('identity_pool_id', d.keyType, (c) => c.primaryKey())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('push_sync', 'text')
      .addColumn('cognito_streams', 'text')
      .addColumn('bulk_publish_status', 'text', (c) => c.notNull())
      .addColumn('bulk_publish_started_at', d.timeType)
      .addColumn('bulk_publish_completed_at', d.timeType)
      .addColumn('bulk_publish_failure', 'text')
      .addColumn('sync_sessions', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sync_devices')
      .addColumn('device_id', d.keyType, (c) => c.primaryKey())
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addColumn('identity_id', d.keyType, (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    // RegisterDevice of a token the identity registered before answers its device again.
    await db.schema.createIndex('sync_devices_identity').on('sync_devices').columns(['identity_id', 'platform', 'token']).execute();
    await db.schema.createIndex('sync_devices_pool').on('sync_devices').columns(['identity_pool_id']).execute();

    await db.schema
      .createTable('sync_subscriptions')
      .addColumn('identity_id', d.keyType, (c) => c.notNull())
      .addColumn('dataset_name', d.keyType, (c) => c.notNull())
      .addColumn('device_id', d.keyType, (c) => c.notNull())
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_subscriptions_pk', ['identity_id', 'dataset_name', 'device_id'])
      .execute();
    await db.schema.createIndex('sync_subscriptions_pool').on('sync_subscriptions').columns(['identity_pool_id']).execute();

    await db.schema
      .createTable('sync_used_tokens')
      .addColumn('token_id', d.keyType, (c) => c.primaryKey())
      .addColumn('expires_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sync_used_tokens_expiry').on('sync_used_tokens').columns(['expires_at']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['sync_used_tokens', 'sync_subscriptions', 'sync_devices', 'sync_pool_settings', 'sync_records', 'sync_datasets']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
