import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireJob, toUserImportJobType } from './job-shape.js';

/**
 * DescribeUserImportJob: the job's status and counts as the import saves them (every 500 rows), so
 * polling it shows progress until Succeeded, Failed or Stopped.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserImportJob.html
 */
export const describeUserImportJob = defineOperation('DescribeUserImportJob', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return { UserImportJob: toUserImportJobType(await requireJob(services, pool.id, input.JobId)) };
});
