import { defineOperation } from '../../define-operation.js';
import { newUserPoolId } from '../../../lib/ids.js';
import { initialPoolConfig } from './pool-config.js';
import { toUserPoolType } from './pool-shape.js';

export { initialPoolConfig } from './pool-config.js';

/**
 * CreateUserPool: a new pool `<region>_<9 alnum>` with Cognito's defaults and its own signing keys.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
 */
export const createUserPool = defineOperation('CreateUserPool', async (input, { services }) => {
  // The server serves one region, the one every accepted SigV4 scope names (docs/differences.md).
  const region = services.config.region;
  const config = initialPoolConfig(input, region);
  const now = services.clock.now();
  const pool = { id: newUserPoolId(region), name: input.PoolName, region, config, createdAt: now, updatedAt: now };
  await services.store.pools.create(pool);
  await services.keys.rotate(pool.id);
  return { UserPool: await toUserPoolType(services, pool) };
});
