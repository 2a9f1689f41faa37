import type { Kysely, Selectable } from 'kysely';
import type { Database, IdentityPoolRow } from '../schema.js';
import type { IdentityPoolRecord, IdentityPoolRoles, IdentityPoolStore } from '../ports.js';

function toRecord(row: Selectable<IdentityPoolRow>): IdentityPoolRecord {
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config) as IdentityPoolRecord['config'],
    tags: JSON.parse(row.tags) as IdentityPoolRecord['tags'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class SqlIdentityPoolStore implements IdentityPoolStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(pool: IdentityPoolRecord): Promise<void> {
    await this.db
      .insertInto('identity_pools')
      .values({
        id: pool.id,
        name: pool.name,
        config: JSON.stringify(pool.config),
        tags: JSON.stringify(pool.tags),
        created_at: pool.createdAt,
        updated_at: pool.updatedAt,
      })
      .execute();
  }

  async get(id: string): Promise<IdentityPoolRecord | undefined> {
    const row = await this.db.selectFrom('identity_pools').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async update(pool: IdentityPoolRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('identity_pools')
      .set({ name: pool.name, config: JSON.stringify(pool.config), tags: JSON.stringify(pool.tags), updated_at: pool.updatedAt })
      .where('id', '=', pool.id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('identity_pools').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(limit: number, after?: string): Promise<IdentityPoolRecord[]> {
    let query = this.db.selectFrom('identity_pools').selectAll().orderBy('id').limit(limit);
    if (after !== undefined) query = query.where('id', '>', after);
    return (await query.execute()).map(toRecord);
  }

  async roles(id: string): Promise<IdentityPoolRoles | undefined> {
    const row = await this.db.selectFrom('identity_pools').select('roles').where('id', '=', id).executeTakeFirst();
    return row && (JSON.parse(row.roles) as IdentityPoolRoles);
  }

  async setRoles(id: string, roles: IdentityPoolRoles, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('identity_pools')
      .set({ roles: JSON.stringify(roles), updated_at: at })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
