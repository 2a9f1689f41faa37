import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * User import jobs (CreateUserImportJob and the operations after it): one row per job with its
 * status and counts, the SHA-256 of its upload URL's token (the URL itself kept sealed, because
 * DescribeUserImportJob shows it again), and the uploaded CSV, which every node can then read.
 */
export const userImportJobs = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('user_import_jobs')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('job_id', d.keyType, (c) => c.notNull())
      .addColumn('job_name', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('upload_token_hash', 'text', (c) => c.notNull())
      .addColumn('upload_url', 'text', (c) => c.notNull())
      .addColumn('upload_expires_at', d.timeType, (c) => c.notNull())
      .addColumn('csv', 'text')
      .addColumn('imported_users', 'bigint', (c) => c.notNull())
      .addColumn('skipped_users', 'bigint', (c) => c.notNull())
      .addColumn('failed_users', 'bigint', (c) => c.notNull())
      .addColumn('completion_message', 'text')
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('started_at', d.timeType)
      .addColumn('completed_at', d.timeType)
      .addPrimaryKeyConstraint('user_import_jobs_pk', ['pool_id', 'job_id'])
      .execute();
    // ListUserImportJobs pages a pool's jobs in creation order.
    await db.schema.createIndex('user_import_jobs_created').on('user_import_jobs').columns(['pool_id', 'created_at', 'job_id']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('user_import_jobs').execute();
  },
};
