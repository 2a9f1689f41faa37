import type { CreateTableBuilder, Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * The local inbox keeps its copies of codes and temporary passwords sealed under the master key,
 * with the time they stop working so housekeeping can prune them. The code, the subject and the
 * message (templates put the code in any of them) are sealed together in `sealed`.
 *
 * The earlier table held them in clear. A migration has no master key to seal them with, so its
 * rows are dropped: they were copies for developers, and every code stays usable (the codes table
 * keeps its hash); a lost message is sent again with ResendConfirmationCode or ForgotPassword.
 */
type InboxTable = CreateTableBuilder<'inbox', string>;

/** The inbox table with the columns both of its shapes share, then `rest`, and its pool index. */
async function createInbox(db: Kysely<unknown>, d: DialectCapabilities, rest: (table: InboxTable) => InboxTable): Promise<void> {
  const table: InboxTable = db.schema
    .createTable('inbox')
    .addColumn('id', d.serialType, (c) => c.primaryKey())
    .addColumn('pool_id', d.keyType, (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull());
  await rest(table).execute();
  await db.schema.createIndex('inbox_pool').on('inbox').columns(['pool_id', 'id']).execute();
}

export const sealedInbox = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema.dropTable('inbox').execute();
    await createInbox(db, d, (table) =>
      table
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', d.timeType, (c) => c.notNull())
        .addColumn('expires_at', d.timeType, (c) => c.notNull()),
    );
    await db.schema.createIndex('inbox_expires').on('inbox').column('expires_at').execute();
  },

  /** Back to the clear table, empty: sealed rows cannot be opened without the master key. */
  async down(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema.dropTable('inbox').execute();
    await createInbox(db, d, (table) =>
      table
        .addColumn('code', 'text')
        .addColumn('subject', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('created_at', d.timeType, (c) => c.notNull()),
    );
  },
};
