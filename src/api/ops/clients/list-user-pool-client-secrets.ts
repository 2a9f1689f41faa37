import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { toClientSecretDescriptor } from './client-shape.js';

/**
 * ListUserPoolClientSecrets: the client's secrets by ID and creation date, oldest first. Values are
 * never listed, and with at most two secrets there is never a next page.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClientSecrets.html
 */
export const listUserPoolClientSecrets = defineOperation('ListUserPoolClientSecrets', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  return { ClientSecrets: client.secrets.map((secret) => toClientSecretDescriptor(secret)) };
});
