import type { Kysely } from 'kysely';
import type { Database, ResourceServerRow } from '../schema.js';
import type { ResourceServerRecord, ResourceServerStore } from '../ports.js';
import type { Reads } from './unchanged-reads.js';

function toRecord(row: ResourceServerRow): ResourceServerRecord {
  return {
    poolId: row.pool_id,
    identifier: row.identifier,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ResourceServerRecord['scopes'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class SqlResourceServerStore implements ResourceServerStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** Outside transactions on SQLite: reads reused while the database is unchanged. */
    private readonly reads: Reads,
  ) {}

  async create(server: ResourceServerRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('resource_servers')
      .values({
        pool_id: server.poolId,
        identifier: server.identifier,
        name: server.name,
        scopes: JSON.stringify(server.scopes),
        created_at: server.createdAt,
        updated_at: server.updatedAt,
      })
      .onConflict((oc) => oc.columns(['pool_id', 'identifier']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined> {
    return this.reads.read(`resource-server\0${poolId}\0${identifier}`, async (): Promise<ResourceServerRecord | undefined> => {
      const row = await this.db
        .selectFrom('resource_servers')
        .selectAll()
        .where('pool_id', '=', poolId)
        .where('identifier', '=', identifier)
        .executeTakeFirst();
      return row && toRecord(row);
    });
  }

  async update(server: ResourceServerRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('resource_servers')
      .set({ name: server.name, scopes: JSON.stringify(server.scopes), updated_at: server.updatedAt })
      .where('pool_id', '=', server.poolId)
      .where('identifier', '=', server.identifier)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(poolId: string, identifier: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('resource_servers')
      .where('pool_id', '=', poolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(poolId: string, limit: number, after?: string): Promise<ResourceServerRecord[]> {
    let query = this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).orderBy('identifier').limit(limit);
    if (after !== undefined) query = query.where('identifier', '>', after);
    return (await query.execute()).map(toRecord);
  }
}
