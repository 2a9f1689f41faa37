import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * OAuth 2.0 resource servers: one row per identifier in a pool, with its custom scopes as JSON.
 * The primary key serves the keyset pages of ListResourceServers and the scope check of app clients.
 */
export const resourceServers = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('resource_servers')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('identifier', d.keyType, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_servers_pk', ['pool_id', 'identifier'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('resource_servers').execute();
  },
};
