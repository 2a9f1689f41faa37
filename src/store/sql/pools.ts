import type { Kysely } from 'kysely';
import type { Database, UserPoolRow } from '../schema.js';
import type { PoolStore, UserPoolRecord } from '../ports.js';
import type { RowMemo } from './row-memo.js';
import type { Reads } from './unchanged-reads.js';

/** Parsed pool configurations, by pool ID: every request reads its pool. */
export type PoolConfigMemo = RowMemo<UserPoolRecord['config']>;

/** Tables whose rows belong to a pool and go when the pool goes. */
const POOL_TABLES = [
  'user_pool_clients',
  'users',
  'groups',
  'group_members',
  'codes',
  'refresh_tokens',
  'signing_keys',
  'inbox',
  'devices',
  'webauthn_credentials',
  'resource_servers',
  'domains',
  'authorization_codes',
  'ui_customizations',
  'managed_login_brandings',
  'managed_login_assets',
  'identity_providers',
  'identity_provider_identifiers',
  'linked_identities',
  'trigger_invocations',
  'risk_configurations',
  'user_import_files',
  'user_import_jobs',
  'terms',
  'log_delivery_configurations',
  'user_pool_replicas',
] as const;

export class SqlPoolStore implements PoolStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly configs: PoolConfigMemo,
    /** Outside transactions on SQLite: reads reused while the database is unchanged. */
    private readonly reads: Reads,
  ) {}

  private toRecord(row: UserPoolRow): UserPoolRecord {
    return {
      id: row.id,
      name: row.name,
      region: row.region,
      config: this.configs.get(row.id, [row.config], () => JSON.parse(row.config) as UserPoolRecord['config']),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async create(pool: UserPoolRecord): Promise<void> {
    await this.db
      .insertInto('user_pools')
      .values({
        id: pool.id,
        name: pool.name,
        region: pool.region,
        config: JSON.stringify(pool.config),
        created_at: pool.createdAt,
        updated_at: pool.updatedAt,
      })
      .execute();
  }

  async get(id: string): Promise<UserPoolRecord | undefined> {
    return this.reads.read(`pool\0${id}`, async (): Promise<UserPoolRecord | undefined> => {
      const row = await this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
      return row && this.toRecord(row);
    });
  }

  async update(pool: UserPoolRecord): Promise<void> {
    await this.db
      .updateTable('user_pools')
      .set({ name: pool.name, config: JSON.stringify(pool.config), updated_at: pool.updatedAt })
      .where('id', '=', pool.id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    for (const table of POOL_TABLES) {
      await this.db.deleteFrom(table).where('pool_id', '=', id).execute();
    }
    await this.db.deleteFrom('user_pools').where('id', '=', id).execute();
  }

  async list(limit: number, after?: string): Promise<UserPoolRecord[]> {
    let query = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(limit);
    if (after !== undefined) query = query.where('id', '>', after);
    return (await query.execute()).map((row) => this.toRecord(row));
  }
}
