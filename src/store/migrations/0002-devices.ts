import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/** Remembered devices: one row per device key, with its user, status and sealed SRP verifier. */
export const devices = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('devices')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('device_key', d.keyType, (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addColumn('device_group_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('remembered_status', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('last_ip_used', 'text')
      .addColumn('verifier', 'text')
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('last_modified_at', d.timeType, (c) => c.notNull())
      .addColumn('last_authenticated_at', d.timeType)
      .addPrimaryKeyConstraint('devices_pk', ['pool_id', 'device_key'])
      .execute();
    // Serves a user's listing in key order (keyset pages) and deleting a user's devices.
    await db.schema.createIndex('devices_user').on('devices').columns(['pool_id', 'username_key', 'device_key']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('devices').execute();
  },
};
