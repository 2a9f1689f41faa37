import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { newImportJob } from '../../../user-import/jobs.js';
import { toUserImportJobType } from './job-shape.js';

/**
 * CreateUserImportJob: a job in status Created whose PreSignedUrl, on this server, takes the CSV
 * file by PUT for 15 minutes (src/http/user-import-upload.ts). The CloudWatch Logs role is kept
 * and shown, not assumed: the rows' results go to the server log.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserImportJob.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-creating-import-job.html
 */
export const createUserImportJob = defineOperation('CreateUserImportJob', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (input.PasswordHashingAlgorithm !== undefined) {
    // Cognate's own refusal: an import with password hashes would need columns it does not read yet.
    throw new InvalidParameterException('Cognate does not import password hashes; create the job without PasswordHashingAlgorithm.');
  }
  const job = newImportJob(services, pool.id, input.JobName, input.CloudWatchLogsRoleArn);
  await services.store.userImportJobs.insert(job);
  return { UserImportJob: toUserImportJobType(job) };
});
