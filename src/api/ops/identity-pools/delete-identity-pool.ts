import { defineIdentityOperation } from '../../define-operation.js';
import { ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';

/**
 * DeleteIdentityPool: removes the pool and its identities. An unknown pool is ResourceNotFoundException.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DeleteIdentityPool.html
 */
export const deleteIdentityPool = defineIdentityOperation('DeleteIdentityPool', async (input, { services }) => {
  if (!(await services.store.identityPools.delete(input.IdentityPoolId))) {
    throw new ResourceNotFoundException(`IdentityPool '${input.IdentityPoolId}' not found.`);
  }
  await services.store.identities.deleteForPool(input.IdentityPoolId);
  return {};
});
