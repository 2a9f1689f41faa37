import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * The last trigger invocations of each pool, for developers to see what their handlers did
 * (`cognate invocations`). Kept in the database rather than in memory so every worker and node
 * writes to, and the CLI reads, one log. Never the event or the answer, which can hold codes,
 * passwords and tokens: the function, the trigger source, the time taken, the outcome, the
 * handler's error message and what a module handler printed.
 */
export const triggerInvocations = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('trigger_invocations')
      .addColumn('id', d.serialType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('at', d.timeType, (c) => c.notNull())
      .addColumn('function_arn', 'text', (c) => c.notNull())
      .addColumn('trigger_source', 'text')
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('logs', 'text')
      .execute();
    await db.schema.createIndex('trigger_invocations_pool').on('trigger_invocations').columns(['pool_id', 'at', 'id']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('trigger_invocations').execute();
  },
};
