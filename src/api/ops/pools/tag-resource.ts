import { defineOperation } from '../../define-operation.js';
import { checkTagCount, requireTaggablePool } from './pool-tags.js';

/**
 * TagResource: adds tags to a user pool (or changes the values of keys it already has). Tags live
 * in the pool's UserPoolTags, the same set CreateUserPool and UpdateUserPool write.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TagResource.html
 */
export const tagResource = defineOperation('TagResource', async (input, { services }) => {
  const pool = await requireTaggablePool(services, input.ResourceArn);
  const tags = { ...pool.config.UserPoolTags, ...input.Tags };
  checkTagCount(tags);
  await services.store.pools.update({ ...pool, config: { ...pool.config, UserPoolTags: tags } });
  return {};
});
