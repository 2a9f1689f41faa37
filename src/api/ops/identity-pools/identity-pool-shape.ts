import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';
import type { CreateIdentityPoolInput, IdentityPool } from '../../../generated/cognito-identity/shapes.js';
import { userPoolOfProviderName } from '../../../domain/identity-pools.js';
import type { IdentityPoolConfig, IdentityPoolRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/** The settings CreateIdentityPool and UpdateIdentityPool both take. */
type Settings = Omit<CreateIdentityPoolInput, 'IdentityPoolName' | 'IdentityPoolTags'>;

/** The pool of that ID, or Cognito Identity's ResourceNotFoundException naming it. */
export async function requireIdentityPool(services: Services, id: string): Promise<IdentityPoolRecord> {
  const pool = await services.store.identityPools.get(id);
  if (!pool) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
  return pool;
}

/**
 * An identity pool's settings from CreateIdentityPool's or UpdateIdentityPool's input, the model's
 * constraints already checked. Every user pool provider must name a user pool, in Cognito's form
 * or Cognate's issuer form; ServerSideTokenCheck defaults to false, as Cognito answers it.
 * Settings left out are not kept: UpdateIdentityPool resets them, as on AWS.
 */
export function identityPoolSettings(services: Services, input: Settings): IdentityPoolConfig {
  const providers = input.CognitoIdentityProviders?.map((provider) => {
    if (provider.ProviderName === undefined || userPoolOfProviderName(provider.ProviderName, services.publicUrl()) === undefined) {
      throw new InvalidParameterException('Invalid Cognito Identity Provider');
    }
    return { ...provider, ServerSideTokenCheck: provider.ServerSideTokenCheck ?? false };
  });
  return {
    AllowUnauthenticatedIdentities: input.AllowUnauthenticatedIdentities,
    AllowClassicFlow: input.AllowClassicFlow ?? false,
    ...(input.SupportedLoginProviders && Object.keys(input.SupportedLoginProviders).length > 0
      ? { SupportedLoginProviders: input.SupportedLoginProviders }
      : {}),
    ...(input.DeveloperProviderName !== undefined ? { DeveloperProviderName: input.DeveloperProviderName } : {}),
    ...(input.OpenIdConnectProviderARNs?.length ? { OpenIdConnectProviderARNs: input.OpenIdConnectProviderARNs } : {}),
    ...(providers?.length ? { CognitoIdentityProviders: providers } : {}),
    ...(input.SamlProviderARNs?.length ? { SamlProviderARNs: input.SamlProviderARNs } : {}),
  };
}

/** The IdentityPool that Create, Describe and Update answer. */
export function toIdentityPool(pool: IdentityPoolRecord): IdentityPool {
  return {
    IdentityPoolId: pool.id,
    IdentityPoolName: pool.name,
    ...pool.config,
    ...(Object.keys(pool.tags).length > 0 ? { IdentityPoolTags: pool.tags } : {}),
  };
}
