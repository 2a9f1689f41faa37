import { defineIdentityOperation } from '../../define-operation.js';
import { requireTaggableIdentityPool } from './identity-pool-tags.js';

/**
 * ListTagsForResource: an identity pool's tags (an empty map when it has none).
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_ListTagsForResource.html
 */
export const listIdentityPoolTags = defineIdentityOperation('ListTagsForResource', async (input, { services }) => {
  const pool = await requireTaggableIdentityPool(services, input.ResourceArn);
  return { Tags: { ...pool.tags } };
});
