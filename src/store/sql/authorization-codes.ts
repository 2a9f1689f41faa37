import type { Kysely } from 'kysely';
import type { AuthorizationCodeRow, Database } from '../schema.js';
import type { AuthorizationCodeRecord, AuthorizationCodeStore } from '../ports.js';

function toRecord(row: AuthorizationCodeRow): AuthorizationCodeRecord {
  return {
    codeHash: row.code_hash,
    poolId: row.pool_id,
    clientId: row.client_id,
    usernameKey: row.username_key,
    redirectUri: row.redirect_uri,
    scopes: JSON.parse(row.scopes) as string[],
    nonce: row.nonce,
    codeChallenge: row.code_challenge,
    codeChallengeMethod: row.code_challenge_method === 'S256' ? 'S256' : null,
    authTime: Number(row.auth_time),
    originJti: row.origin_jti,
    expiresAt: Number(row.expires_at),
    consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
    createdAt: Number(row.created_at),
  };
}

export class SqlAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(code: AuthorizationCodeRecord): Promise<void> {
    await this.db
      .insertInto('authorization_codes')
      .values({
        code_hash: code.codeHash,
        pool_id: code.poolId,
        client_id: code.clientId,
        username_key: code.usernameKey,
        redirect_uri: code.redirectUri,
        scopes: JSON.stringify(code.scopes),
        nonce: code.nonce,
        code_challenge: code.codeChallenge,
        code_challenge_method: code.codeChallengeMethod,
        auth_time: code.authTime,
        origin_jti: code.originJti,
        expires_at: code.expiresAt,
        consumed_at: code.consumedAt,
        created_at: code.createdAt,
      })
      .execute();
  }

  async get(codeHash: string): Promise<AuthorizationCodeRecord | undefined> {
    const row = await this.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return row && toRecord(row);
  }

  async consume(codeHash: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('authorization_codes')
      .set({ consumed_at: at })
      .where('code_hash', '=', codeHash)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('authorization_codes').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
