import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { PreconditionNotMetException } from '../../../generated/cognito-idp/errors.js';
import { runUserImport } from '../../../user-import/run-import.js';
import { requireJob, toUserImportJobType } from './job-shape.js';

/**
 * StartUserImportJob: a Created job becomes Pending and is answered at once; the import then runs
 * in the background of this node (src/user-import/run-import.ts), InProgress until Succeeded or
 * Failed. A job in any other status is refused with PreconditionNotMetException (wording:
 * Cognate's best guess).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StartUserImportJob.html
 */
export const startUserImportJob = defineOperation('StartUserImportJob', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const job = await requireJob(services, pool.id, input.JobId);
  const pending = { ...job, status: 'Pending' as const, startedAt: services.clock.now() };
  if (job.status !== 'Created' || !(await services.store.userImportJobs.update(pending, ['Created']))) {
    const now = (await requireJob(services, pool.id, input.JobId)).status;
    throw new PreconditionNotMetException(`Import job ${input.JobId} cannot be started: its status is ${now}.`);
  }
  // After this answer is sent: the import never holds the request.
  setImmediate(() => void runUserImport(services, pool.id, job.jobId));
  return { UserImportJob: toUserImportJobType(pending) };
});
