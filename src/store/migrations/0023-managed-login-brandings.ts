import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Managed login branding styles (CreateManagedLoginBranding): at most one per app client, so the
 * (pool, client) index is unique; the settings document is JSON text. Each style's image assets
 * are rows of their own, one per category and colour mode, with the bytes in base64 text (one
 * column type for both engines; at most 1,000,000 bytes each, the model's limit), so a page that
 * needs one logo reads one row.
 */
export const managedLoginBrandings = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('managed_login_brandings')
      .addColumn('id', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('client_id', d.keyType, (c) => c.notNull())
      .addColumn('use_cognito_provided_values', 'integer', (c) => c.notNull())
      .addColumn('settings', 'text')
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();
    // One style per app client, however many nodes race to create it.
    await db.schema
      .createIndex('managed_login_brandings_client')
      .on('managed_login_brandings')
      .columns(['pool_id', 'client_id'])
      .unique()
      .execute();

    await db.schema
      .createTable('managed_login_assets')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('branding_id', d.keyType, (c) => c.notNull())
      .addColumn('category', d.keyType, (c) => c.notNull())
      .addColumn('color_mode', d.keyType, (c) => c.notNull())
      .addColumn('extension', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('bytes', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('managed_login_assets_pk', ['branding_id', 'category', 'color_mode'])
      .execute();
    // A pool's assets go with the pool.
    await db.schema.createIndex('managed_login_assets_pool').on('managed_login_assets').columns(['pool_id']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('managed_login_assets').execute();
    await db.schema.dropTable('managed_login_brandings').execute();
  },
};
