import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { requireClientSecret } from './client-secrets.js';

/**
 * DeleteUserPoolClientSecret: retires one of a client's secrets. The last one cannot go (documented
 * rule; the text is a best guess), so a confidential client never becomes a public one.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClientSecret.html
 */
export const deleteUserPoolClientSecret = defineOperation('DeleteUserPoolClientSecret', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  const secret = requireClientSecret(client, input.ClientSecretId);
  if (client.secrets.length <= 1) {
    throw new InvalidParameterException('Cannot delete the last client secret of an app client.');
  }
  const secrets = client.secrets.filter((s) => s.id !== secret.id);
  await services.store.clients.update({ ...client, secrets, updatedAt: services.clock.now() });
  return {};
});
