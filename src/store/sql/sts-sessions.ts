import type { Kysely } from 'kysely';
import type { Sealer } from '../../crypto/sealing.js';
import type { Database, StsSessionRow } from '../schema.js';
import type { StsSessionRecord, StsSessionSource, StsSessionStore } from '../ports.js';
import type { Reads } from './unchanged-reads.js';

/** The sealed secret is bound to its access key id, so it cannot be moved to another session. */
function secretContext(accessKeyId: string): string {
  return `sts-session:${accessKeyId}`;
}

export class SqlStsSessionStore implements StsSessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
    /** Every SigV4 request by temporary credentials reads its session; on SQLite reused while the database is unchanged. */
    private readonly reads: Reads,
  ) {}

  async insert(session: StsSessionRecord): Promise<void> {
    await this.db
      .insertInto('sts_sessions')
      .values({
        access_key_id: session.accessKeyId,
        secret: this.sealer.seal(session.secretAccessKey, secretContext(session.accessKeyId)),
        token_hash: session.tokenHash,
        role_arn: session.roleArn,
        session_name: session.sessionName,
        subject: session.subject,
        source: session.source,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        revoked: session.revoked ? 1 : 0,
        principal_tags: JSON.stringify(session.principalTags),
      })
      .execute();
  }

  get(accessKeyId: string): Promise<StsSessionRecord | undefined> {
    return this.reads.read(`sts-session\0${accessKeyId}`, async () => {
      const row = await this.db.selectFrom('sts_sessions').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
      return row && this.toRecord(row);
    });
  }

  async revoke(accessKeyId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('sts_sessions')
      .set({ revoked: 1 })
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('sts_sessions').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** A session whose secret does not open (a row copied or tampered with) is no session. */
  private toRecord(row: StsSessionRow): StsSessionRecord | undefined {
    const secret = this.sealer.openString(row.secret, secretContext(row.access_key_id));
    if (secret === null) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: secret,
      tokenHash: row.token_hash,
      roleArn: row.role_arn,
      sessionName: row.session_name,
      subject: row.subject,
      source: row.source as StsSessionSource,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      revoked: row.revoked === 1,
      principalTags: JSON.parse(row.principal_tags) as Record<string, string>,
    };
  }
}
