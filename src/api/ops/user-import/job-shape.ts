import type { UserImportJobType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { UserImportJobRecord } from '../../../store/ports.js';
import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { epochSeconds } from '../../../lib/clock.js';
import { currentJob } from '../../../user-import/jobs.js';

/**
 * The job a request names in the pool, as it stands now (see currentJob), or
 * ResourceNotFoundException. The wording is Cognate's best guess, in the form of Cognito's
 * `User pool <id> does not exist.`.
 */
export async function requireJob(services: Services, poolId: string, jobId: string): Promise<UserImportJobRecord> {
  const job = await services.store.userImportJobs.get(poolId, jobId);
  if (!job) throw new ResourceNotFoundException(`User import job ${jobId} does not exist.`);
  return currentJob(services, job);
}

/** UserImportJobType as Cognito shows it: dates and the message only once they exist. */
export function toUserImportJobType(job: UserImportJobRecord): UserImportJobType {
  return {
    JobName: job.jobName,
    JobId: job.jobId,
    UserPoolId: job.poolId,
    PreSignedUrl: job.preSignedUrl,
    CreationDate: epochSeconds(job.createdAt),
    ...(job.startedAt !== null ? { StartDate: epochSeconds(job.startedAt) } : {}),
    ...(job.completedAt !== null ? { CompletionDate: epochSeconds(job.completedAt) } : {}),
    Status: job.status,
    CloudWatchLogsRoleArn: job.cloudWatchLogsRoleArn,
    ImportedUsers: job.importedUsers,
    SkippedUsers: job.skippedUsers,
    FailedUsers: job.failedUsers,
    ...(job.completionMessage !== null ? { CompletionMessage: job.completionMessage } : {}),
  };
}
