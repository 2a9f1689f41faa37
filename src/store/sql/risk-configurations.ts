import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { RiskConfigurationRecord, RiskConfigurationStore } from '../ports.js';

export class SqlRiskConfigurationStore implements RiskConfigurationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(record: RiskConfigurationRecord): Promise<void> {
    const values = { config: JSON.stringify(record.config), updated_at: record.updatedAt };
    await this.db
      .insertInto('risk_configurations')
      .values({ pool_id: record.poolId, client_id: record.clientId, ...values })
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet(values))
      .execute();
  }

  async get(poolId: string, clientId: string): Promise<RiskConfigurationRecord | undefined> {
    const row = await this.db
      .selectFrom('risk_configurations')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      poolId: row.pool_id,
      clientId: row.client_id,
      config: JSON.parse(row.config) as RiskConfigurationRecord['config'],
      updatedAt: Number(row.updated_at),
    };
  }

  async delete(poolId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('risk_configurations').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
  }
}
