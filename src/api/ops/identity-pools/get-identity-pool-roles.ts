import { defineIdentityOperation } from '../../define-operation.js';
import { ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';

/**
 * GetIdentityPoolRoles: the pool's roles and role mappings as SetIdentityPoolRoles stored them.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetIdentityPoolRoles.html
 */
export const getIdentityPoolRoles = defineIdentityOperation('GetIdentityPoolRoles', async (input, { services }) => {
  const roles = await services.store.identityPools.roles(input.IdentityPoolId);
  if (!roles) throw new ResourceNotFoundException(`IdentityPool '${input.IdentityPoolId}' not found.`);
  return { IdentityPoolId: input.IdentityPoolId, ...roles };
});
