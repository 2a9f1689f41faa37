import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { refusePrimary, replicaNotFound, requireReplica, toReplicaType } from './replica-shape.js';

/**
 * UpdateUserPoolReplica: turns a secondary replica ACTIVE or INACTIVE. The primary's status is
 * not the secondary's to set.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolReplica.html
 */
export const updateUserPoolReplica = defineOperation('UpdateUserPoolReplica', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  refusePrimary(pool, input.RegionName, 'updated');
  const replica = await requireReplica(services, pool, input.RegionName);
  const now = services.clock.now();
  if (!(await services.store.userPoolReplicas.setStatus(pool.id, replica.regionName, input.Status, now))) {
    throw replicaNotFound(pool.id, input.RegionName);
  }
  return { UserPoolReplica: toReplicaType(services, { ...replica, status: input.Status, updatedAt: now }) };
});
