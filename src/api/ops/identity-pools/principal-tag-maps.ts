import { InvalidParameterException } from '../../../generated/cognito-identity/errors.js';
import type { GetPrincipalTagAttributeMapResponse } from '../../../generated/cognito-identity/shapes.js';
import { userPoolOfProviderName, userPoolProviderName } from '../../../domain/identity-pools.js';
import type { IdentityPoolRecord, PrincipalTagMapRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/**
 * The name a provider's principal tag map is kept under: a user pool's in Cognito's form, whichever
 * form it was given in, so that GetCredentialsForIdentity finds it by the login's provider name;
 * any other provider's as given. The provider must be one the pool signs in with: a user pool of
 * CognitoIdentityProviders, a SupportedLoginProviders key, or an OpenID Connect or SAML provider
 * ARN. Else InvalidParameterException (a best-guess text; AWS's is not on record).
 */
export function principalTagProviderKey(services: Services, pool: IdentityPoolRecord, providerName: string): string {
  const normalized = (name: string): string => {
    const userPoolId = userPoolOfProviderName(name, services.publicUrl());
    return userPoolId === undefined ? name : userPoolProviderName(userPoolId);
  };
  const config = pool.config;
  const listed = new Set([
    ...(config.CognitoIdentityProviders ?? []).flatMap((provider) =>
      provider.ProviderName === undefined ? [] : [normalized(provider.ProviderName)],
    ),
    ...Object.keys(config.SupportedLoginProviders ?? {}),
    ...(config.OpenIdConnectProviderARNs ?? []),
    ...(config.SamlProviderARNs ?? []),
  ]);
  const key = normalized(providerName);
  if (!listed.has(key))
    throw new InvalidParameterException(`Identity provider '${providerName}' is not configured for identity pool '${pool.id}'.`);
  return key;
}

/**
 * What Get and SetPrincipalTagAttributeMap answer: the pool and the provider as asked, whether the
 * defaults apply, and the provider's own map (left out when empty). A provider that never set a map
 * has attributes for access control off: no defaults, no tags.
 */
export function toPrincipalTagAttributeMap(
  pool: IdentityPoolRecord,
  providerName: string,
  map: PrincipalTagMapRecord | undefined,
): GetPrincipalTagAttributeMapResponse {
  const tags = map?.principalTags ?? {};
  return {
    IdentityPoolId: pool.id,
    IdentityProviderName: providerName,
    UseDefaults: map?.useDefaults ?? false,
    ...(Object.keys(tags).length > 0 ? { PrincipalTags: tags } : {}),
  };
}
