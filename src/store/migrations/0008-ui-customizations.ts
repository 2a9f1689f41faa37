import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Classic hosted-UI branding (SetUICustomization): one row per app client of a pool, and one under
 * the client ID `ALL` for the pool's default. The logo is base64 text so one column type serves
 * both engines; it is at most 100 KB.
 */
export const uiCustomizations = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('ui_customizations')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('client_id', d.keyType, (c) => c.notNull())
      .addColumn('css', 'text')
      .addColumn('logo_type', 'text')
      .addColumn('logo_digest', 'text')
      .addColumn('logo', 'text')
      .addColumn('css_version', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('ui_customizations_pk', ['pool_id', 'client_id'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('ui_customizations').execute();
  },
};
