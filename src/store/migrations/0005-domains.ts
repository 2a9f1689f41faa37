import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * User pool domains: one row per domain name. The name is the primary key because Cognito keeps
 * prefix and custom domains unique across every pool, not per pool.
 */
export const domains = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('domains')
      .addColumn('domain', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('custom_domain_config', 'text')
      .addColumn('managed_login_version', 'integer', (c) => c.notNull())
      .addColumn('cloudfront_distribution', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();
    // At most one prefix and one custom domain per pool; the index also serves the pool's lookups.
    await db.schema.createIndex('domains_pool_kind').unique().on('domains').columns(['pool_id', 'kind']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('domains').execute();
  },
};
