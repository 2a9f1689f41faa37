import { defineOperation } from '../../define-operation.js';
import { requireTaggablePool } from './pool-tags.js';

/**
 * UntagResource: removes the named tag keys from a user pool; keys it does not have are ignored.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UntagResource.html
 */
export const untagResource = defineOperation('UntagResource', async (input, { services }) => {
  const pool = await requireTaggablePool(services, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  const tags = Object.fromEntries(Object.entries(pool.config.UserPoolTags ?? {}).filter(([key]) => !remove.has(key)));
  await services.store.pools.update({ ...pool, config: { ...pool.config, UserPoolTags: tags } });
  return {};
});
