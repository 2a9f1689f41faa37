import { defineIdentityOperation } from '../../define-operation.js';
import { ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';

/**
 * DeleteIdentityPool: removes the pool, its identities and its principal tag maps. An unknown pool is ResourceNotFoundException.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DeleteIdentityPool.html
 */
export const deleteIdentityPool = defineIdentityOperation('DeleteIdentityPool', async (input, { services }) => {
  if (!(await services.store.identityPools.delete(input.IdentityPoolId))) {
    throw new ResourceNotFoundException(`IdentityPool '${input.IdentityPoolId}' not found.`);
  }
  await services.store.identities.deleteForPool(input.IdentityPoolId);
  await services.store.principalTagMaps.deleteForPool(input.IdentityPoolId);
  await services.store.sync.deleteForPool(input.IdentityPoolId);
  return {};
});
