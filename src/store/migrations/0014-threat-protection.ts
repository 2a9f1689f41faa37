import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Threat protection. `risk_configurations` holds SetRiskConfiguration's settings: one row per app
 * client, and one under the client ID `ALL` for the pool's default (as `ui_customizations` does);
 * `config` is the JSON of the RiskConfigurationType members that were set. The audit events gain
 * what AdminListUserAuthEvents shows and the feedback operations write: an opaque `event_id` (the
 * API's EventId, so the row's sequence number never leaves the server) and the `feedback` JSON.
 */
export const threatProtection = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('risk_configurations')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('client_id', d.keyType, (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('risk_configurations_pk', ['pool_id', 'client_id'])
      .execute();
    await db.schema.alterTable('audit_events').addColumn('event_id', d.keyType).execute();
    await db.schema.alterTable('audit_events').addColumn('feedback', 'text').execute();
    await db.schema.createIndex('audit_events_event_id').on('audit_events').columns(['user_pool_id', 'event_id']).execute();
    // A user's events are found by the names they typed or by their sub (AdminListUserAuthEvents, risk signals).
    await db.schema.createIndex('audit_events_sub').on('audit_events').columns(['user_pool_id', 'sub', 'id']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('audit_events_sub').execute();
    await db.schema.dropIndex('audit_events_event_id').execute();
    await db.schema.alterTable('audit_events').dropColumn('feedback').execute();
    await db.schema.alterTable('audit_events').dropColumn('event_id').execute();
    await db.schema.dropTable('risk_configurations').execute();
  },
};
