import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * The gateway's APIs stored by `cognate gateway put`: one row per API id with its definition as
 * JSON (as the `gatewayApis` setting writes one). A stored API replaces the config file's of the
 * same id. (The principal tags the gateway's IAM authorizer evaluates are sessions' column of
 * migration 0026.)
 */
export const gatewayApis = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('gateway_apis')
      .addColumn('id', d.keyType, (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('gateway_apis').execute();
  },
};
