import type { Kysely } from 'kysely';
import type { UserImportJobStatusType } from '../../generated/cognito-idp/shapes.js';
import type { Sealer } from '../../crypto/sealing.js';
import type { Database, UserImportJobRow } from '../schema.js';
import type { UserImportJobCursor, UserImportJobRecord, UserImportJobStore } from '../ports.js';

/** Every column but the CSV, which only the import itself reads. */
const JOB_COLUMNS = [
  'pool_id',
  'job_id',
  'job_name',
  'role_arn',
  'status',
  'upload_token_hash',
  'upload_url',
  'upload_expires_at',
  'imported_users',
  'skipped_users',
  'failed_users',
  'completion_message',
  'created_at',
  'started_at',
  'completed_at',
] as const;

type JobRow = Pick<UserImportJobRow, (typeof JOB_COLUMNS)[number]>;

/** The sealed URL is bound to its job, so it cannot be moved to another row. */
function urlContext(poolId: string, jobId: string): string {
  return `user-import-url:${poolId}:${jobId}`;
}

/** PostgreSQL's bigint arrives as a string. */
function optionalNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

export class SqlUserImportJobStore implements UserImportJobStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
  ) {}

  private toRow(job: UserImportJobRecord): JobRow {
    return {
      pool_id: job.poolId,
      job_id: job.jobId,
      job_name: job.jobName,
      role_arn: job.cloudWatchLogsRoleArn,
      status: job.status,
      upload_token_hash: job.uploadTokenHash,
      upload_url: this.sealer.seal(job.preSignedUrl, urlContext(job.poolId, job.jobId)),
      upload_expires_at: job.uploadExpiresAt,
      imported_users: job.importedUsers,
      skipped_users: job.skippedUsers,
      failed_users: job.failedUsers,
      completion_message: job.completionMessage,
      created_at: job.createdAt,
      started_at: job.startedAt,
      completed_at: job.completedAt,
    };
  }

  private toRecord(row: JobRow): UserImportJobRecord {
    return {
      poolId: row.pool_id,
      jobId: row.job_id,
      jobName: row.job_name,
      cloudWatchLogsRoleArn: row.role_arn,
      status: row.status as UserImportJobStatusType,
      uploadTokenHash: row.upload_token_hash,
      // A URL that does not open (another master key) is shown as none rather than failing the read.
      preSignedUrl: this.sealer.openString(row.upload_url, urlContext(row.pool_id, row.job_id)) ?? '',
      uploadExpiresAt: Number(row.upload_expires_at),
      importedUsers: Number(row.imported_users),
      skippedUsers: Number(row.skipped_users),
      failedUsers: Number(row.failed_users),
      completionMessage: row.completion_message,
      createdAt: Number(row.created_at),
      startedAt: optionalNumber(row.started_at),
      completedAt: optionalNumber(row.completed_at),
    };
  }

  async insert(job: UserImportJobRecord): Promise<void> {
    await this.db.insertInto('user_import_jobs').values(this.toRow(job)).execute();
  }

  async get(poolId: string, jobId: string): Promise<UserImportJobRecord | undefined> {
    const row = await this.db
      .selectFrom('user_import_jobs')
      .select(JOB_COLUMNS)
      .where('pool_id', '=', poolId)
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    return row && this.toRecord(row);
  }

  /** Keyset pages over the `(pool_id, created_at, job_id)` index. */
  async list(poolId: string, limit: number, after?: UserImportJobCursor): Promise<UserImportJobRecord[]> {
    let query = this.db.selectFrom('user_import_jobs').select(JOB_COLUMNS).where('pool_id', '=', poolId);
    if (after !== undefined) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('job_id', '>', after.jobId)])]),
      );
    }
    const rows = await query.orderBy('created_at').orderBy('job_id').limit(limit).execute();
    return rows.map((row) => this.toRecord(row));
  }

  async update(job: UserImportJobRecord, from: readonly UserImportJobStatusType[]): Promise<boolean> {
    if (from.length === 0) return false;
    const result = await this.db
      .updateTable('user_import_jobs')
      .set({
        status: job.status,
        imported_users: job.importedUsers,
        skipped_users: job.skippedUsers,
        failed_users: job.failedUsers,
        completion_message: job.completionMessage,
        started_at: job.startedAt,
        completed_at: job.completedAt,
      })
      .where('pool_id', '=', job.poolId)
      .where('job_id', '=', job.jobId)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Keeps the file beside the job, in a table of its own: SQLite rewrites a whole row on any update,
   * so a CSV of 100 MB inside the job's row was written again each time the job's counts were.
   */
  async putCsv(poolId: string, jobId: string, csv: string): Promise<boolean> {
    const result = await this.db
      .insertInto('user_import_files')
      .columns(['pool_id', 'job_id', 'csv'])
      .expression((eb) =>
        eb
          .selectFrom('user_import_jobs')
          .select(['pool_id', 'job_id', eb.val(csv).as('csv')])
          .where('pool_id', '=', poolId)
          .where('job_id', '=', jobId)
          .where('status', '=', 'Created'),
      )
      .onConflict((oc) => oc.columns(['pool_id', 'job_id']).doUpdateSet((eb) => ({ csv: eb.ref('excluded.csv') })))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getCsv(poolId: string, jobId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('user_import_files')
      .select('csv')
      .where('pool_id', '=', poolId)
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    return row?.csv;
  }
}
