import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireProvider, toIdentityProviderType } from './provider-shape.js';

/**
 * DescribeIdentityProvider.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeIdentityProvider.html
 */
export const describeIdentityProvider = defineOperation('DescribeIdentityProvider', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return { IdentityProvider: toIdentityProviderType(await requireProvider(services, pool.id, input.ProviderName)) };
});
