import type { AnyOperation } from '../../define-operation.js';
import { getCsvHeader } from './get-csv-header.js';
import { createUserImportJob } from './create-user-import-job.js';
import { describeUserImportJob } from './describe-user-import-job.js';
import { listUserImportJobs } from './list-user-import-jobs.js';
import { startUserImportJob } from './start-user-import-job.js';
import { stopUserImportJob } from './stop-user-import-job.js';

/** The user import operations, one module each. */
export const userImportOperations: readonly AnyOperation[] = [
  getCsvHeader,
  createUserImportJob,
  describeUserImportJob,
  listUserImportJobs,
  startUserImportJob,
  stopUserImportJob,
];
