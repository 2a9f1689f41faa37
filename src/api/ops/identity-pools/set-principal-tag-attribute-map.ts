import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool } from './identity-pool-shape.js';
import { principalTagProviderKey, toPrincipalTagAttributeMap } from './principal-tag-maps.js';

/**
 * SetPrincipalTagAttributeMap (SigV4): which token claims become principal (session) tags when a
 * provider's users get credentials: UseDefaults (`username` from `sub`, `client` from `aud`) and the
 * provider's own PrincipalTags (tag → claim; at most 50, checked by the model). The new map replaces
 * the provider's earlier one; left-out settings are off and empty.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetPrincipalTagAttributeMap.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html
 */
export const setPrincipalTagAttributeMap = defineIdentityOperation('SetPrincipalTagAttributeMap', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const map = {
    identityPoolId: pool.id,
    providerName: principalTagProviderKey(services, pool, input.IdentityProviderName),
    useDefaults: input.UseDefaults ?? false,
    principalTags: input.PrincipalTags ?? {},
  };
  await services.store.principalTagMaps.put(map);
  return toPrincipalTagAttributeMap(pool, input.IdentityProviderName, map);
});
