import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/** Passkeys: one row per WebAuthn credential, with its user, public key and sign counter. */
export const webAuthnCredentials = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('webauthn_credentials')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('credential_id', d.keyType, (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('sign_count', 'bigint', (c) => c.notNull())
      .addColumn('rp_id', 'text', (c) => c.notNull())
      .addColumn('friendly_name', 'text', (c) => c.notNull())
      .addColumn('attachment', 'text')
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('webauthn_credentials_pk', ['pool_id', 'credential_id'])
      .execute();
    // Serves a user's listing in credential-ID order (keyset pages), counting and deleting them.
    await db.schema
      .createIndex('webauthn_credentials_user')
      .on('webauthn_credentials')
      .columns(['pool_id', 'username_key', 'credential_id'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('webauthn_credentials').execute();
  },
};
