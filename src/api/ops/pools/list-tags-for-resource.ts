import { defineOperation } from '../../define-operation.js';
import { requireTaggablePool } from './pool-tags.js';

/**
 * ListTagsForResource: a user pool's tags (an empty map when it has none).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListTagsForResource.html
 */
export const listTagsForResource = defineOperation('ListTagsForResource', async (input, { services }) => {
  const pool = await requireTaggablePool(services, input.ResourceArn);
  return { Tags: { ...pool.config.UserPoolTags } };
});
