import { defineIdentityOperation } from '../../define-operation.js';
import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';
import { identityPoolSettings, requireIdentityPool, toIdentityPool } from './identity-pool-shape.js';
import { checkIdentityPoolTags } from './identity-pool-tags.js';

/**
 * UpdateIdentityPool: replaces the pool's name and settings; settings left out return to their
 * defaults, as on AWS. Two exceptions, also as on AWS: the developer provider name, once set, stays
 * when left out and cannot be changed; tags left out stay (TagResource and UntagResource change them).
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_UpdateIdentityPool.html
 */
export const updateIdentityPool = defineIdentityOperation('UpdateIdentityPool', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const developer = pool.config.DeveloperProviderName;
  if (developer !== undefined && input.DeveloperProviderName !== undefined && input.DeveloperProviderName !== developer) {
    // Cognate's words: AWS's message for this refusal is not published.
    throw new InvalidParameterException(`The developer provider name of an identity pool cannot be changed once set (it is ${developer}).`);
  }
  const config = identityPoolSettings(services, { ...input, DeveloperProviderName: input.DeveloperProviderName ?? developer });
  const updated = {
    ...pool,
    name: input.IdentityPoolName,
    config,
    tags: checkIdentityPoolTags(input.IdentityPoolTags ?? pool.tags),
    updatedAt: services.clock.now(),
  };
  if (!(await services.store.identityPools.update(updated))) {
    throw new ResourceNotFoundException(`IdentityPool '${pool.id}' not found.`);
  }
  return toIdentityPool(updated);
});
