import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';

/** Schema attributes an import cannot set: Cognito assigns `sub`, and `identities` comes from federation. */
const NOT_IMPORTED: ReadonlySet<string> = new Set(['sub', 'identities']);

/**
 * The columns Cognito appends after the pool's attributes: whether the user has SMS MFA on, and the
 * user's name (the only required value in a row).
 */
const COGNITO_COLUMNS = ['cognito:mfa_enabled', 'cognito:username'] as const;

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
  const attributes = (pool.config.SchemaAttributes ?? []).flatMap((attribute) =>
    attribute.Name !== undefined && !NOT_IMPORTED.has(attribute.Name) ? [attribute.Name] : [],
  );
  return { UserPoolId: pool.id, CSVHeader: [...attributes, ...COGNITO_COLUMNS] };
});
