import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Identities of identity pools (Cognito Identity): one row per identity, and one row per login
 * linked to it (the provider's name and the subject it asserts). The logins' key is GetId's
 * lookup, and keeps one provider's subject on one identity of a pool, however many nodes race.
 */
export const identities = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('identities')
      .addColumn('id', d.keyType, (c) => c.primaryKey())
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();
    // ListIdentities pages a pool's identities in ID order.
    await db.schema.createIndex('identities_pool').on('identities').columns(['identity_pool_id', 'id']).execute();

    await db.schema
      .createTable('identity_logins')
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addColumn('provider_name', d.keyType, (c) => c.notNull())
      .addColumn('subject', d.keyType, (c) => c.notNull())
      .addColumn('identity_id', d.keyType, (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_logins_pk', ['identity_pool_id', 'provider_name', 'subject'])
      .execute();
    // An identity's logins, for describing, unlinking and deleting it.
    await db.schema.createIndex('identity_logins_identity').on('identity_logins').columns(['identity_id']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('identity_logins').execute();
    await db.schema.dropTable('identities').execute();
  },
};
