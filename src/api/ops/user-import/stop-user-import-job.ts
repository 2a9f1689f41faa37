import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { PreconditionNotMetException } from '../../../generated/cognito-idp/errors.js';
import { RUNNING_STATUSES } from '../../../user-import/jobs.js';
import { requireJob, toUserImportJobType } from './job-shape.js';

/**
 * StopUserImportJob: a Pending or InProgress job becomes Stopping; the import notices it at its
 * next save (at most 500 rows later) and ends Stopped, keeping the users it already created. A
 * job in any other status is refused with PreconditionNotMetException (wording: Cognate's best
 * guess).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StopUserImportJob.html
 */
export const stopUserImportJob = defineOperation('StopUserImportJob', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const job = await requireJob(services, pool.id, input.JobId);
  const stopping = { ...job, status: 'Stopping' as const };
  if (!RUNNING_STATUSES.includes(job.status) || !(await services.store.userImportJobs.update(stopping, RUNNING_STATUSES))) {
    const now = (await requireJob(services, pool.id, input.JobId)).status;
    throw new PreconditionNotMetException(`Import job ${input.JobId} cannot be stopped: its status is ${now}.`);
  }
  return { UserImportJob: toUserImportJobType(stopping) };
});
