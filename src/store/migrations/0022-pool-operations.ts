import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * The pool's remaining settings operations: terms documents (CreateTerms and the operations
 * after it), one row per document with its links by language as JSON; a client has at most one
 * document of each name, which the unique index decides between racing creates. A pool's log
 * delivery configuration (SetLogDeliveryConfiguration), one row per pool. A pool's secondary
 * replicas (CreateUserPoolReplica), one row per Region with its status and tags.
 */
export const poolOperations = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('terms')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('terms_id', d.keyType, (c) => c.notNull())
      .addColumn('client_id', d.keyType, (c) => c.notNull())
      .addColumn('terms_name', d.keyType, (c) => c.notNull())
      .addColumn('terms_source', 'text', (c) => c.notNull())
      .addColumn('enforcement', 'text', (c) => c.notNull())
      .addColumn('links', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('terms_pk', ['pool_id', 'terms_id'])
      .execute();
    await db.schema.createIndex('terms_by_client').unique().on('terms').columns(['pool_id', 'client_id', 'terms_name']).execute();
    await db.schema
      .createTable('log_delivery_configurations')
      .addColumn('pool_id', d.keyType, (c) => c.primaryKey())
      .addColumn('configurations', 'text', (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('user_pool_replicas')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('region_name', d.keyType, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('user_pool_replicas_pk', ['pool_id', 'region_name'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('user_pool_replicas').execute();
    await db.schema.dropTable('log_delivery_configurations').execute();
    await db.schema.dropTable('terms').execute();
  },
};
