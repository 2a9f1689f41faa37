import type { Kysely } from 'kysely';
import type { Database, CodeRow } from '../schema.js';
import type { CodePurpose, CodeRecord, CodeStore } from '../ports.js';

function toRecord(row: CodeRow): CodeRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    usernameKey: row.username_key,
    purpose: row.purpose as CodePurpose,
    codeHash: row.code_hash,
    expiresAt: row.expires_at,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}

export class SqlCodeStore implements CodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(code: CodeRecord): Promise<void> {
    await this.db
      .deleteFrom('codes')
      .where('pool_id', '=', code.poolId)
      .where('username_key', '=', code.usernameKey)
      .where('purpose', '=', code.purpose)
      .execute();
    await this.db
      .insertInto('codes')
      .values({
        id: code.id,
        pool_id: code.poolId,
        username_key: code.usernameKey,
        purpose: code.purpose,
        code_hash: code.codeHash,
        expires_at: code.expiresAt,
        attempts: code.attempts,
        created_at: code.createdAt,
      })
      .execute();
  }

  async get(poolId: string, usernameKey: string, purpose: CodePurpose): Promise<CodeRecord | undefined> {
    const row = await this.db
      .selectFrom('codes')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async reserveAttempt(id: string, limit: number): Promise<boolean> {
    const result = await this.db
      .updateTable('codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('attempts', '<', limit)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('codes').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForUser(poolId: string, usernameKey: string): Promise<void> {
    await this.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
  }
}
