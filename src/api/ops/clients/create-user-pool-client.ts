import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { newClientId, newClientSecret } from '../../../lib/ids.js';
import { checkCustomScopes, checkSupportedIdentityProviders, clientConfig } from './client-config.js';
import { newClientSecretRecord, toUserPoolClientType } from './client-shape.js';

/** Kept here for callers that imported it from this module first. */
export { DEFAULT_EXPLICIT_AUTH_FLOWS } from './client-config.js';

/**
 * CreateUserPoolClient: a new app client, with a generated secret (GenerateSecret) or one of the
 * caller's (ClientSecret), or none.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
 */
export const createUserPoolClient = defineOperation('CreateUserPoolClient', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const { UserPoolId: _pool, ClientName: name, GenerateSecret: generate, ClientSecret: given, ...settings } = input;
  if (generate === true && given !== undefined) {
    // The rule is documented ("You cannot specify both"); the text is a best guess.
    throw new InvalidParameterException('You cannot specify both GenerateSecret as true and provide a ClientSecret value.');
  }
  const secret = given ?? (generate === true ? newClientSecret() : undefined);
  const config = clientConfig(settings, pool, { hasSecret: secret !== undefined, action: 'creating' });
  await checkCustomScopes(services, pool.id, settings.AllowedOAuthScopes);
  await checkSupportedIdentityProviders(services, pool.id, settings.SupportedIdentityProviders);
  const now = services.clock.now();
  const clientId = newClientId();
  const client = {
    clientId,
    poolId: pool.id,
    name,
    config,
    secrets: secret !== undefined ? [newClientSecretRecord(clientId, secret, now)] : [],
    createdAt: now,
    updatedAt: now,
  };
  await services.store.clients.create(client);
  return { UserPoolClient: toUserPoolClientType(client) };
});
