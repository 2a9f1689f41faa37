import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { providerNotFound } from './provider-shape.js';

/**
 * DeleteIdentityProvider. As in Cognito, app clients that list the provider in
 * SupportedIdentityProviders keep the name (their next update must drop it), and users who signed
 * in through it, and links to it, stay.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteIdentityProvider.html
 */
export const deleteIdentityProvider = defineOperation('DeleteIdentityProvider', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (!(await services.store.identityProviders.delete(pool.id, input.ProviderName))) throw providerNotFound(input.ProviderName);
  return {};
});
