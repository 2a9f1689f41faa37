import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { refusePrimary, replicaNotFound, requireReplica, toReplicaType } from './replica-shape.js';

/**
 * DeleteUserPoolReplica: "You can only delete replicas that are in the INACTIVE status", and never
 * the primary. Cognito answers `DELETING`; here the replica is gone when the answer is sent.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolReplica.html
 */
export const deleteUserPoolReplica = defineOperation('DeleteUserPoolReplica', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  refusePrimary(pool, input.RegionName, 'deleted');
  const replica = await requireReplica(services, pool, input.RegionName);
  const inactiveOnly = () =>
    new InvalidParameterException(`The replica of user pool ${pool.id} in ${input.RegionName} must be INACTIVE to be deleted.`);
  if (replica.status !== 'INACTIVE') throw inactiveOnly();
  // The delete is conditional, so an UpdateUserPoolReplica to ACTIVE in between is not undone.
  if (!(await services.store.userPoolReplicas.deleteIf(pool.id, replica.regionName, 'INACTIVE'))) {
    if (await services.store.userPoolReplicas.get(pool.id, replica.regionName)) throw inactiveOnly();
    throw replicaNotFound(pool.id, input.RegionName);
  }
  return { UserPoolReplica: toReplicaType(services, replica, 'DELETING') };
});
