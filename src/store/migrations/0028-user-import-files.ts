import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * A user import job's uploaded CSV moves out of the job's row into a table of its own. SQLite
 * rewrites a whole row, overflow pages included, on every update: an import saves its counts after
 * each batch, so a 100 MB file was written again hundreds of times and a million-row import slowed
 * to a few thousand rows a second. Files already uploaded move with their job.
 */
export const userImportFiles = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('user_import_files')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('job_id', d.keyType, (c) => c.notNull())
      .addColumn('csv', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_import_files_pk', ['pool_id', 'job_id'])
      .execute();
    await sql`insert into user_import_files (pool_id, job_id, csv) select pool_id, job_id, csv from user_import_jobs where csv is not null`.execute(
      db,
    );
    await db.schema.alterTable('user_import_jobs').dropColumn('csv').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('user_import_jobs').addColumn('csv', 'text').execute();
    await sql`update user_import_jobs set csv = (select f.csv from user_import_files f where f.pool_id = user_import_jobs.pool_id and f.job_id = user_import_jobs.job_id)`.execute(
      db,
    );
    await db.schema.dropTable('user_import_files').execute();
  },
};
