import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { checkCustomScopes, checkSupportedIdentityProviders, clientConfig } from './client-config.js';
import { toUserPoolClientType } from './client-shape.js';

/**
 * UpdateUserPoolClient: replaces the client's configuration. Members the request leaves out go
 * back to their defaults, as in Cognito; the name and the secrets stay unless changed.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolClient.html
 */
export const updateUserPoolClient = defineOperation('UpdateUserPoolClient', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  const { UserPoolId: _pool, ClientId: _client, ClientName: name, ...settings } = input;
  const config = clientConfig(settings, pool, { hasSecret: client.secrets.length > 0, action: 'updating' });
  await checkCustomScopes(services, pool.id, settings.AllowedOAuthScopes);
  await checkSupportedIdentityProviders(services, pool.id, settings.SupportedIdentityProviders);
  const updated = { ...client, name: name ?? client.name, config, updatedAt: services.clock.now() };
  await services.store.clients.update(updated);
  return { UserPoolClient: toUserPoolClientType(updated) };
});
