import type { Kysely } from 'kysely';
import type { Database, WebAuthnCredentialRow } from '../schema.js';
import type { WebAuthnCredentialRecord, WebAuthnCredentialStore } from '../ports.js';

function toRow(credential: WebAuthnCredentialRecord): WebAuthnCredentialRow {
  return {
    pool_id: credential.poolId,
    credential_id: credential.credentialId,
    username_key: credential.usernameKey,
    public_key: credential.publicKey,
    sign_count: credential.signCount,
    rp_id: credential.rpId,
    friendly_name: credential.friendlyName,
    attachment: credential.attachment,
    transports: JSON.stringify(credential.transports),
    created_at: credential.createdAt,
  };
}

function toRecord(row: WebAuthnCredentialRow): WebAuthnCredentialRecord {
  return {
    poolId: row.pool_id,
    credentialId: row.credential_id,
    usernameKey: row.username_key,
    publicKey: row.public_key,
    // PostgreSQL's bigint arrives as a string.
    signCount: Number(row.sign_count),
    rpId: row.rp_id,
    friendlyName: row.friendly_name,
    attachment: row.attachment,
    transports: JSON.parse(row.transports) as string[],
    createdAt: Number(row.created_at),
  };
}

export class SqlWebAuthnCredentialStore implements WebAuthnCredentialStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(credential: WebAuthnCredentialRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('webauthn_credentials')
      .values(toRow(credential))
      .onConflict((oc) => oc.columns(['pool_id', 'credential_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(poolId: string, credentialId: string): Promise<WebAuthnCredentialRecord | undefined> {
    const row = await this.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Keyset pages over the `(pool_id, username_key, credential_id)` index. */
  async listForUser(poolId: string, usernameKey: string, limit: number, after?: string): Promise<WebAuthnCredentialRecord[]> {
    let query = this.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey);
    if (after !== undefined) query = query.where('credential_id', '>', after);
    return (await query.orderBy('credential_id').limit(limit).execute()).map(toRecord);
  }

  async countForUser(poolId: string, usernameKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('webauthn_credentials')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async advanceSignCount(poolId: string, credentialId: string, expected: number, next: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webauthn_credentials')
      .set({ sign_count: next })
      .where('pool_id', '=', poolId)
      .where('credential_id', '=', credentialId)
      .where('sign_count', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(poolId: string, usernameKey: string, credentialId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('webauthn_credentials')
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
