import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireResourceServer, toResourceServerType } from './resource-server-shape.js';

/**
 * DescribeResourceServer.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeResourceServer.html
 */
export const describeResourceServer = defineOperation('DescribeResourceServer', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const server = await requireResourceServer(services, pool.id, input.Identifier);
  return { ResourceServer: toResourceServerType(server) };
});
