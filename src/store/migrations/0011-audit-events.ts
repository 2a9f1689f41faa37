import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * The audit log: who did what, when, where from, with what outcome. Sign-ins, lockouts, password
 * changes and resets, and admin changes; AdminListUserAuthEvents will read a user's events from
 * here. The pool column is `user_pool_id`, not `pool_id`: the record of what happened to a pool
 * (its deletion among it) outlives the pool, until housekeeping prunes it after the retention
 * period. No column holds a secret; `detail` is JSON of a few named, non-secret identifiers.
 */
export const auditEvents = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('audit_events')
      .addColumn('id', d.serialType, (c) => c.primaryKey())
      .addColumn('at', d.timeType, (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('user_pool_id', d.keyType)
      .addColumn('client_id', 'text')
      .addColumn('actor', 'text')
      .addColumn('username', d.keyType)
      .addColumn('sub', 'text')
      .addColumn('source_ip', 'text')
      .addColumn('request_id', 'text')
      .addColumn('error', 'text')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('audit_events_user').on('audit_events').columns(['user_pool_id', 'username', 'id']).execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('audit_events').execute();
  },
};
