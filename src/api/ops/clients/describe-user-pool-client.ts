import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { toUserPoolClientType } from './client-shape.js';

/**
 * DescribeUserPoolClient: the client's configuration, with its (first) secret.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html
 */
export const describeUserPoolClient = defineOperation('DescribeUserPoolClient', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  return { UserPoolClient: toUserPoolClientType(client) };
});
