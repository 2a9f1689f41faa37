import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/** The PostgreSQL channel the triggers below notify; fixed once shipped, as every migration is. */
export const CHANGE_CHANNEL = 'cognate_changes';

/**
 * The tables whose rows every node keeps in memory between writes (see UnchangedReads): pools, app
 * clients, resource servers, gateway APIs and IAM roles with their policies. Each is written rarely
 * (by an administrator) and read by nearly every request.
 */
export const ANNOUNCED_TABLES = [
  'user_pools',
  'user_pool_clients',
  'resource_servers',
  'gateway_apis',
  'iam_roles',
  'iam_role_policies',
  'iam_policies',
  'iam_role_attachments',
] as const;

/**
 * PostgreSQL only: every statement that changes one of the tables above notifies CHANGE_CHANNEL
 * with the table's schema, when its transaction commits (PostgreSQL delivers notifications at
 * commit and drops those of a rollback). Every node listens and empties its cache of those reads
 * (PostgresChangeListener). A trigger rather than the store announcing its own writes, so a change
 * made by anyone (another node, the CLI, an operator's SQL) is heard. Statement-level: one
 * notification per statement, and PostgreSQL folds identical ones within a transaction.
 *
 * SQLite needs none of this: its `data_version` tells every connection that another one committed.
 */
export const changeNotifications = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    if (d.name !== 'postgres') return;
    // Created in the current schema, so each schema of a shared database announces its own changes.
    await sql`
      create or replace function cognate_announce_change() returns trigger language plpgsql as $$
      begin
        perform pg_notify(${sql.lit(CHANGE_CHANNEL)}, tg_table_schema);
        return null;
      end $$`.execute(db);
    for (const table of ANNOUNCED_TABLES) {
      await sql`
        create trigger cognate_announce_change after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function cognate_announce_change()`.execute(db);
    }
  },

  async down(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    if (d.name !== 'postgres') return;
    for (const table of ANNOUNCED_TABLES) await sql`drop trigger cognate_announce_change on ${sql.table(table)}`.execute(db);
    await sql`drop function cognate_announce_change()`.execute(db);
  },
};
