import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { InvalidParameterException, LimitExceededException } from '../../../generated/cognito-idp/errors.js';
import { newClientSecret } from '../../../lib/ids.js';
import { newClientSecretRecord, toClientSecretDescriptor } from './client-shape.js';
import { MAX_CLIENT_SECRETS } from './client-secrets.js';

/**
 * AddUserPoolClientSecret: gives a confidential client a second secret (generated, or the
 * caller's), so the old one can be retired without downtime. The new secret's value is returned
 * only when Cognate generated it. Both secrets then verify SECRET_HASH and client authentication.
 *
 * Error texts are best guesses (no captured responses): the limit and the confidential-client rule
 * are documented, their wording is not.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html
 */
export const addUserPoolClientSecret = defineOperation('AddUserPoolClientSecret', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  if (client.secrets.length === 0) {
    throw new InvalidParameterException(
      `Client ${client.clientId} has no client secret; secrets can only be added to a confidential client.`,
    );
  }
  if (client.secrets.length >= MAX_CLIENT_SECRETS) {
    throw new LimitExceededException(`Client ${client.clientId} already has the maximum of ${MAX_CLIENT_SECRETS} client secrets.`);
  }
  const generated = input.ClientSecret === undefined;
  const now = services.clock.now();
  const secret = newClientSecretRecord(client.clientId, input.ClientSecret ?? newClientSecret(), now, client.secrets);
  await services.store.clients.update({ ...client, secrets: [...client.secrets, secret], updatedAt: now });
  return { ClientSecretDescriptor: toClientSecretDescriptor(secret, generated) };
});
