import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool, toIdentityPool } from './identity-pool-shape.js';

/**
 * DescribeIdentityPool: the pool's name, settings and tags.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DescribeIdentityPool.html
 */
export const describeIdentityPool = defineIdentityOperation('DescribeIdentityPool', async (input, { services }) =>
  toIdentityPool(await requireIdentityPool(services, input.IdentityPoolId)),
);
