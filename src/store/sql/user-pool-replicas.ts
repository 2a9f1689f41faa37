import type { Kysely } from 'kysely';
import type { Database, UserPoolReplicaRow } from '../schema.js';
import type { UserPoolReplicaRecord, UserPoolReplicaStore } from '../ports.js';
import { atomic } from './atomic.js';

function toRecord(row: UserPoolReplicaRow): UserPoolReplicaRecord {
  return {
    poolId: row.pool_id,
    regionName: row.region_name,
    status: row.status as UserPoolReplicaRecord['status'],
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class SqlUserPoolReplicaStore implements UserPoolReplicaStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(replica: UserPoolReplicaRecord, limit: number): Promise<'created' | 'exists' | 'limit'> {
    return atomic(this.db, async (trx) => {
      const existing = await trx.selectFrom('user_pool_replicas').select('region_name').where('pool_id', '=', replica.poolId).execute();
      if (existing.some((row) => row.region_name === replica.regionName)) return 'exists';
      if (existing.length >= limit) return 'limit';
      const result = await trx
        .insertInto('user_pool_replicas')
        .values({
          pool_id: replica.poolId,
          region_name: replica.regionName,
          status: replica.status,
          tags: JSON.stringify(replica.tags),
          created_at: replica.createdAt,
          updated_at: replica.updatedAt,
        })
        // Another transaction's insert of the same Region since the read above.
        .onConflict((oc) => oc.columns(['pool_id', 'region_name']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'created' : 'exists';
    });
  }

  async get(poolId: string, regionName: string): Promise<UserPoolReplicaRecord | undefined> {
    const row = await this.db
      .selectFrom('user_pool_replicas')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('region_name', '=', regionName)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(poolId: string): Promise<UserPoolReplicaRecord[]> {
    const rows = await this.db.selectFrom('user_pool_replicas').selectAll().where('pool_id', '=', poolId).orderBy('region_name').execute();
    return rows.map(toRecord);
  }

  async regionsOf(poolIds: readonly string[]): Promise<Map<string, string[]>> {
    const regions = new Map<string, string[]>();
    if (poolIds.length === 0) return regions;
    const rows = await this.db
      .selectFrom('user_pool_replicas')
      .select(['pool_id', 'region_name'])
      .where('pool_id', 'in', poolIds)
      .orderBy('pool_id')
      .orderBy('region_name')
      .execute();
    for (const row of rows) regions.set(row.pool_id, [...(regions.get(row.pool_id) ?? []), row.region_name]);
    return regions;
  }

  async setStatus(poolId: string, regionName: string, status: UserPoolReplicaRecord['status'], at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('user_pool_replicas')
      .set({ status, updated_at: at })
      .where('pool_id', '=', poolId)
      .where('region_name', '=', regionName)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteIf(poolId: string, regionName: string, status: UserPoolReplicaRecord['status']): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_pool_replicas')
      .where('pool_id', '=', poolId)
      .where('region_name', '=', regionName)
      .where('status', '=', status)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
