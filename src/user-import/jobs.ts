import type { UserImportJobStatusType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { UserImportJobRecord } from '../store/ports.js';
import { sha256Hex } from '../crypto/compare.js';
import { newOpaqueToken, randomString } from '../lib/ids.js';

/**
 * "The PRE_SIGNED_URL returned in the response is valid for 15 minutes."
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-creating-import-job.html
 */
export const UPLOAD_URL_VALIDITY_MS = 15 * 60 * 1000;

/**
 * A job created but not started within about a day becomes Expired ("Expired - You created a job,
 * but did not start the job within 24-48 hours", UserImportJobType's Status); Cognate uses 24 hours.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserImportJobType.html
 */
export const UNSTARTED_JOB_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Where an import job's CSV is PUT: `<public URL><UPLOAD_PATH>/<poolId>/<jobId>?token=…`. */
export const UPLOAD_PATH = '/_cognate/user-import';

/** The statuses a job is still running in: StopUserImportJob applies, and the import goes on. */
export const RUNNING_STATUSES: readonly UserImportJobStatusType[] = ['Pending', 'InProgress'];

/** JobId `import-` and ten alphanumerics, like Cognito's (`import-qQ0DCt2fRh`). */
function newJobId(): string {
  return `import-${randomString(10)}`;
}

/** A new job in status Created, with an upload URL on this server that only its token opens. */
export function newImportJob(services: Services, poolId: string, jobName: string, roleArn: string): UserImportJobRecord {
  const now = services.clock.now();
  const jobId = newJobId();
  const token = newOpaqueToken();
  const url = `${services.publicUrl()}${UPLOAD_PATH}/${encodeURIComponent(poolId)}/${jobId}?token=${token}`;
  return {
    poolId,
    jobId,
    jobName,
    cloudWatchLogsRoleArn: roleArn,
    status: 'Created',
    uploadTokenHash: sha256Hex(token),
    preSignedUrl: url,
    uploadExpiresAt: now + UPLOAD_URL_VALIDITY_MS,
    importedUsers: 0,
    skippedUsers: 0,
    failedUsers: 0,
    completionMessage: null,
    createdAt: now,
    startedAt: null,
    completedAt: null,
  };
}

/**
 * The job as it stands now: a Created job older than {@link UNSTARTED_JOB_LIFETIME_MS} is marked
 * Expired (saved, unless it was started meanwhile).
 */
export async function currentJob(services: Services, job: UserImportJobRecord): Promise<UserImportJobRecord> {
  const now = services.clock.now();
  if (job.status !== 'Created' || now < job.createdAt + UNSTARTED_JOB_LIFETIME_MS) return job;
  const expired: UserImportJobRecord = { ...job, status: 'Expired', completedAt: now };
  if (await services.store.userImportJobs.update(expired, ['Created'])) return expired;
  return (await services.store.userImportJobs.get(job.poolId, job.jobId)) ?? expired;
}
