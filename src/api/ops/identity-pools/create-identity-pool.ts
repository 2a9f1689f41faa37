import { defineIdentityOperation } from '../../define-operation.js';
import { newUuid } from '../../../lib/ids.js';
import { identityPoolSettings, toIdentityPool } from './identity-pool-shape.js';
import { checkIdentityPoolTags } from './identity-pool-tags.js';

/**
 * CreateIdentityPool: a new identity pool with the ID `<region>:<uuid>`. Names need not be unique,
 * as on AWS.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html
 */
export const createIdentityPool = defineIdentityOperation('CreateIdentityPool', async (input, { services }) => {
  const now = services.clock.now();
  const pool = {
    id: `${services.config.region}:${newUuid()}`,
    name: input.IdentityPoolName,
    config: identityPoolSettings(services, input),
    tags: checkIdentityPoolTags(input.IdentityPoolTags ?? {}),
    createdAt: now,
    updatedAt: now,
  };
  await services.store.identityPools.create(pool);
  return toIdentityPool(pool);
});
