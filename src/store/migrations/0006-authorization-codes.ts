import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * OAuth 2.0 authorization codes, stored by the SHA-256 of the code. A code is spent by setting
 * `consumed_at` in one conditional update, which is atomic on both engines, so a code works once
 * even when two nodes receive it together. Spent rows stay until they expire, so a replay can be
 * recognised and the tokens the code gave revoked (their family, `origin_jti`).
 */
export const authorizationCodes = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('authorization_codes')
      .addColumn('code_hash', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('username_key', 'text', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text')
      .addColumn('code_challenge', 'text')
      .addColumn('code_challenge_method', 'text')
      .addColumn('auth_time', d.timeType, (c) => c.notNull())
      .addColumn('origin_jti', 'text', (c) => c.notNull())
      .addColumn('expires_at', d.timeType, (c) => c.notNull())
      .addColumn('consumed_at', d.timeType)
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('authorization_codes_expires').on('authorization_codes').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('authorization_codes').execute();
  },
};
