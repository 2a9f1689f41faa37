import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Identity pools (Cognito Identity): one row per pool, its settings as JSON and its tags. Listed in
 * ID order (the primary key serves the keyset pages).
 */
export const identityPools = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('identity_pools')
      .addColumn('id', d.keyType, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('identity_pools').execute();
  },
};
