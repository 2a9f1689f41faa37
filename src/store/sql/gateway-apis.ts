import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { GatewayApiRecord, GatewayApiStore } from '../ports.js';
import type { Reads } from './unchanged-reads.js';

export class SqlGatewayApiStore implements GatewayApiStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** Every gateway request reads its API; on SQLite the read is reused while the database is unchanged. */
    private readonly reads: Reads,
  ) {}

  get(id: string): Promise<GatewayApiRecord | undefined> {
    return this.reads.read(`gateway-api\0${id}`, async () => {
      const row = await this.db.selectFrom('gateway_apis').selectAll().where('id', '=', id).executeTakeFirst();
      return row && { id: row.id, definition: row.definition, updatedAt: Number(row.updated_at) };
    });
  }

  async list(): Promise<GatewayApiRecord[]> {
    const rows = await this.db.selectFrom('gateway_apis').selectAll().orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, definition: row.definition, updatedAt: Number(row.updated_at) }));
  }

  async put(api: GatewayApiRecord): Promise<void> {
    const values = { definition: api.definition, updated_at: api.updatedAt };
    await this.db
      .insertInto('gateway_apis')
      .values({ id: api.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('gateway_apis').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
