import { defineIdentityOperation } from '../../define-operation.js';
import { requireTaggableIdentityPool } from './identity-pool-tags.js';

/**
 * UntagResource: removes the named tag keys from an identity pool; keys it does not have are ignored.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_UntagResource.html
 */
export const untagIdentityPool = defineIdentityOperation('UntagResource', async (input, { services }) => {
  const pool = await requireTaggableIdentityPool(services, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  const tags = Object.fromEntries(Object.entries(pool.tags).filter(([key]) => !remove.has(key)));
  await services.store.identityPools.update({ ...pool, tags, updatedAt: services.clock.now() });
  return {};
});
