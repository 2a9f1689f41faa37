import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { toIdentityProviderType } from './provider-shape.js';

/**
 * GetIdentityProviderByIdentifier: the provider that lists the identifier in its IdpIdentifiers.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetIdentityProviderByIdentifier.html
 */
export const getIdentityProviderByIdentifier = defineOperation('GetIdentityProviderByIdentifier', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const provider = await services.store.identityProviders.getByIdentifier(pool.id, input.IdpIdentifier);
  if (!provider) throw new ResourceNotFoundException(`Identity provider with identifier ${input.IdpIdentifier} does not exist.`);
  return { IdentityProvider: toIdentityProviderType(provider) };
});
