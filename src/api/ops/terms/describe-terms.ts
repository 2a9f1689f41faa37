import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireTerms, toTermsType } from './terms-shape.js';

/**
 * DescribeTerms.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeTerms.html
 */
export const describeTerms = defineOperation('DescribeTerms', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return { Terms: toTermsType(await requireTerms(services, pool.id, input.TermsId)) };
});
