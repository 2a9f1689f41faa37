import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool } from './identity-pool-shape.js';
import { principalTagProviderKey, toPrincipalTagAttributeMap } from './principal-tag-maps.js';

/**
 * GetPrincipalTagAttributeMap (SigV4): a provider's principal tag map, as SetPrincipalTagAttributeMap
 * saved it; off (UseDefaults false, no tags) until one is set. A user pool may be named in either form.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetPrincipalTagAttributeMap.html
 */
export const getPrincipalTagAttributeMap = defineIdentityOperation('GetPrincipalTagAttributeMap', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const key = principalTagProviderKey(services, pool, input.IdentityProviderName);
  return toPrincipalTagAttributeMap(pool, input.IdentityProviderName, await services.store.principalTagMaps.get(pool.id, key));
});
