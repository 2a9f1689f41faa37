import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { importColumns } from '../../../domain/user-import.js';

/**
 * GetCSVHeader: the header row of a user import CSV for the pool: its schema attributes in the
 * order DescribeUserPool lists them (standard ones, then custom ones as `custom:<name>`), without
 * `sub`, then `cognito:mfa_enabled` and `cognito:username`, as a real pool answers (seen in a
 * live pool's output: name, given_name, …, updated_at, custom:joinedOn, cognito:mfa_enabled,
 * cognito:username).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetCSVHeader.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-csv-header.html
 */
export const getCsvHeader = defineOperation('GetCSVHeader', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return { UserPoolId: pool.id, CSVHeader: importColumns(pool.config) };
});
