import type { Kysely } from 'kysely';
import type { Database, RefreshTokenRow } from '../schema.js';
import type { RefreshTokenRecord, RefreshTokenStore } from '../ports.js';

function toRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    poolId: row.pool_id,
    clientId: row.client_id,
    usernameKey: row.username_key,
    originJti: row.origin_jti,
    authTime: row.auth_time,
    deviceKey: row.device_key,
    scopes: JSON.parse(row.scopes) as string[],
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    replacedAt: row.replaced_at,
    createdAt: row.created_at,
  };
}

/** A revoked token of the family that began with `originJti`, if any: the family is revoked. */
export function revokedFamilyToken(db: Kysely<Database>, originJti: string) {
  return db
    .selectFrom('refresh_tokens')
    .select('token_hash')
    .where('origin_jti', '=', originJti)
    .where('revoked_at', 'is not', null)
    .limit(1);
}

export class SqlRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(t: RefreshTokenRecord): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        token_hash: t.tokenHash,
        pool_id: t.poolId,
        client_id: t.clientId,
        username_key: t.usernameKey,
        origin_jti: t.originJti,
        auth_time: t.authTime,
        device_key: t.deviceKey,
        scopes: JSON.stringify(t.scopes),
        expires_at: t.expiresAt,
        revoked_at: t.revokedAt,
        replaced_at: t.replacedAt,
        created_at: t.createdAt,
      })
      .execute();
  }

  async get(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toRecord(row);
  }

  async markReplaced(tokenHash: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('refresh_tokens')
      .set({ replaced_at: at })
      .where('token_hash', '=', tokenHash)
      .where('replaced_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeFamily(originJti: string, at: number): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: at })
      .where('origin_jti', '=', originJti)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeAllForUser(poolId: string, usernameKey: string, at: number): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: at })
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async isFamilyRevoked(originJti: string): Promise<boolean> {
    return (await revokedFamilyToken(this.db, originJti).executeTakeFirst()) !== undefined;
  }

  async deleteForUser(poolId: string, usernameKey: string): Promise<void> {
    await this.db.deleteFrom('refresh_tokens').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
  }
}
