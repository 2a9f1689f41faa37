import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Credentials of identity pools: each pool's roles and role mappings (SetIdentityPoolRoles), kept
 * apart from its settings because UpdateIdentityPool replaces those and leaves the roles alone;
 * and the STS sessions Cognate issues (GetCredentialsForIdentity, AssumeRoleWithWebIdentity), one
 * row per access key id, with the secret sealed and the session token as a hash, so that any node
 * can check a request signed with them.
 */
export const credentials = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .alterTable('identity_pools')
      .addColumn('roles', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();

    await db.schema
      .createTable('sts_sessions')
      .addColumn('access_key_id', d.keyType, (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text', (c) => c.notNull())
      .addColumn('session_name', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('expires_at', d.timeType, (c) => c.notNull())
      .addColumn('revoked', 'integer', (c) => c.notNull())
      .execute();
    // Housekeeping deletes the sessions past their expiry.
    await db.schema.createIndex('sts_sessions_expiry').on('sts_sessions').columns(['expires_at']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sts_sessions').execute();
    await db.schema.alterTable('identity_pools').dropColumn('roles').execute();
  },
};
