import { defineIdentityOperation } from '../../define-operation.js';
import { checkIdentityPoolTags, requireTaggableIdentityPool } from './identity-pool-tags.js';

/**
 * TagResource: adds tags to an identity pool (or changes the values of keys it already has). Tags
 * live in the pool's IdentityPoolTags, the set CreateIdentityPool and UpdateIdentityPool write.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_TagResource.html
 */
export const tagIdentityPool = defineIdentityOperation('TagResource', async (input, { services }) => {
  const pool = await requireTaggableIdentityPool(services, input.ResourceArn);
  const tags = checkIdentityPoolTags({ ...pool.tags, ...input.Tags });
  await services.store.identityPools.update({ ...pool, tags, updatedAt: services.clock.now() });
  return {};
});
