import type { Kysely } from 'kysely';
import type { LogConfigurationType } from '../../generated/cognito-idp/shapes.js';
import type { Database } from '../schema.js';
import type { LogDeliveryConfigurationStore } from '../ports.js';

export class SqlLogDeliveryConfigurationStore implements LogDeliveryConfigurationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(poolId: string): Promise<LogConfigurationType[] | undefined> {
    const row = await this.db
      .selectFrom('log_delivery_configurations')
      .select('configurations')
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return row && (JSON.parse(row.configurations) as LogConfigurationType[]);
  }

  async put(poolId: string, configurations: readonly LogConfigurationType[], at: number): Promise<void> {
    const values = { configurations: JSON.stringify(configurations), updated_at: at };
    await this.db
      .insertInto('log_delivery_configurations')
      .values({ pool_id: poolId, ...values })
      .onConflict((oc) => oc.column('pool_id').doUpdateSet(values))
      .execute();
  }
}
