import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { UserImportJobCursor } from '../../../store/ports.js';
import { currentJob } from '../../../user-import/jobs.js';
import { toUserImportJobType } from './job-shape.js';

/** A page ends at a job's creation time and ID: `<epoch ms>:<job ID>`. */
function cursorOf(token: string | undefined, requestId: string): UserImportJobCursor | undefined {
  const key = decodePageToken(token, requestId);
  if (key === undefined) return undefined;
  const match = /^(\d+):(import-[0-9a-zA-Z-]+)$/.exec(key);
  if (!match) throw new InvalidParameterException(`Paging marker ${token ?? ''} is invalid for request ${requestId}`);
  return { createdAt: Number(match[1]), jobId: match[2]! };
}

/**
 * ListUserImportJobs: the pool's jobs in the order they were created, MaxResults (1-60, required
 * by the model) at a time, with a PaginationToken while more remain.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserImportJobs.html
 */
export const listUserImportJobs = defineOperation('ListUserImportJobs', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const after = cursorOf(input.PaginationToken, requestId);
  const rows = await services.store.userImportJobs.list(pool.id, input.MaxResults + 1, after);
  const page = slicePage(rows, input.MaxResults, (job) => `${job.createdAt}:${job.jobId}`);
  const jobs = await Promise.all(page.items.map((job) => currentJob(services, job)));
  return { UserImportJobs: jobs.map(toUserImportJobType), ...(page.next !== undefined ? { PaginationToken: page.next } : {}) };
});
