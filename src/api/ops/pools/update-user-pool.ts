import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { updatedPoolConfig } from './pool-config.js';

/**
 * UpdateUserPool: replaces the pool's settable configuration. Members the request leaves out go
 * back to their defaults, as in Cognito; the name stays unless a new one is given.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
 */
export const updateUserPool = defineOperation('UpdateUserPool', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const { UserPoolId: _id, PoolName: name, ...settings } = input;
  const config = updatedPoolConfig(pool.config, settings, pool.region);
  await services.store.pools.update({ ...pool, name: name ?? pool.name, config, updatedAt: services.clock.now() });
  return {};
});
