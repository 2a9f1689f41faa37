import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';

/**
 * DeleteUserPoolClient: removes the client. Users belong to the pool and stay; sign-ins and
 * refreshes through the client stop, since it can no longer be found.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClient.html
 */
export const deleteUserPoolClient = defineOperation('DeleteUserPoolClient', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  await services.store.clients.delete(pool.id, client.clientId);
  return {};
});
