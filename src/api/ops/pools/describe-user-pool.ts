import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { toUserPoolType } from './pool-shape.js';

/**
 * DescribeUserPool.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html
 */
export const describeUserPool = defineOperation('DescribeUserPool', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return { UserPool: await toUserPoolType(services, pool) };
});
