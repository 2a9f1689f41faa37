import type { Kysely } from 'kysely';
import type { Database, UserPoolClientRow } from '../schema.js';
import type { ClientSecretRecord, ClientStore, UserPoolClientRecord } from '../ports.js';
import type { Sealer } from '../../crypto/sealing.js';
import type { RowMemo } from './row-memo.js';
import type { Reads } from './unchanged-reads.js';

/** Parsed configurations and opened secrets, by client ID: every token request reads its client. */
export type ClientRecordMemo = RowMemo<Pick<UserPoolClientRecord, 'config' | 'secrets'>>;

export class SqlClientStore implements ClientStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
    private readonly parsed: ClientRecordMemo,
    /** Outside transactions on SQLite: reads reused while the database is unchanged. */
    private readonly reads: Reads,
  ) {}

  private context(clientId: string): string {
    return `client-secrets:${clientId}`;
  }

  private toRecord(row: UserPoolClientRow): UserPoolClientRecord {
    const { config, secrets } = this.parsed.get(row.client_id, [row.config, row.secrets], () => {
      const opened = row.secrets ? this.sealer.openString(row.secrets, this.context(row.client_id)) : null;
      if (row.secrets && opened === null) throw new Error(`client ${row.client_id}: secrets fail to open (wrong master key?)`);
      return {
        config: JSON.parse(row.config) as UserPoolClientRecord['config'],
        secrets: opened ? (JSON.parse(opened) as ClientSecretRecord[]) : [],
      };
    });
    return {
      clientId: row.client_id,
      poolId: row.pool_id,
      name: row.name,
      config,
      secrets,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private toRow(client: UserPoolClientRecord): UserPoolClientRow {
    return {
      client_id: client.clientId,
      pool_id: client.poolId,
      name: client.name,
      config: JSON.stringify(client.config),
      secrets: client.secrets.length ? this.sealer.seal(JSON.stringify(client.secrets), this.context(client.clientId)) : null,
      created_at: client.createdAt,
      updated_at: client.updatedAt,
    };
  }

  async create(client: UserPoolClientRecord): Promise<void> {
    await this.db.insertInto('user_pool_clients').values(this.toRow(client)).execute();
  }

  async get(poolId: string, clientId: string): Promise<UserPoolClientRecord | undefined> {
    return this.reads.read(`client\0${poolId}\0${clientId}`, async (): Promise<UserPoolClientRecord | undefined> => {
      const row = await this.db
        .selectFrom('user_pool_clients')
        .selectAll()
        .where('client_id', '=', clientId)
        .where('pool_id', '=', poolId)
        .executeTakeFirst();
      return row && this.toRecord(row);
    });
  }

  async getById(clientId: string): Promise<UserPoolClientRecord | undefined> {
    return this.reads.read(`client-by-id\0${clientId}`, async (): Promise<UserPoolClientRecord | undefined> => {
      const row = await this.db.selectFrom('user_pool_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row && this.toRecord(row);
    });
  }

  async update(client: UserPoolClientRecord): Promise<void> {
    const { client_id, pool_id, created_at, ...rest } = this.toRow(client);
    await this.db.updateTable('user_pool_clients').set(rest).where('client_id', '=', client_id).where('pool_id', '=', pool_id).execute();
    void created_at;
  }

  async delete(poolId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('user_pool_clients').where('client_id', '=', clientId).where('pool_id', '=', poolId).execute();
    // The client's own branding goes with it (SetUICustomization); the pool's `ALL` default stays.
    await this.db.deleteFrom('ui_customizations').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
    // So does its managed login branding style (CreateManagedLoginBranding) with its assets.
    const styles = this.db
      .selectFrom('managed_login_brandings')
      .select('id')
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId);
    await this.db.deleteFrom('managed_login_assets').where('pool_id', '=', poolId).where('branding_id', 'in', styles).execute();
    await this.db.deleteFrom('managed_login_brandings').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
    // So does its risk configuration (SetRiskConfiguration with its ClientId).
    await this.db.deleteFrom('risk_configurations').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
    // And its terms documents (CreateTerms names one client).
    await this.db.deleteFrom('terms').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
  }

  async list(poolId: string, limit: number, after?: string): Promise<UserPoolClientRecord[]> {
    let query = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId).orderBy('client_id').limit(limit);
    if (after !== undefined) query = query.where('client_id', '>', after);
    return (await query.execute()).map((row) => this.toRecord(row));
  }
}
