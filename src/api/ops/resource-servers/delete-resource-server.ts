import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { resourceServerNotFound } from './resource-server-shape.js';

/**
 * DeleteResourceServer. App clients keep the scopes they were given, as in Cognito; only new
 * Create/UpdateUserPoolClient requests are checked against the remaining servers.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteResourceServer.html
 */
export const deleteResourceServer = defineOperation('DeleteResourceServer', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (!(await services.store.resourceServers.delete(pool.id, input.Identifier))) throw resourceServerNotFound(input.Identifier);
  return {};
});
