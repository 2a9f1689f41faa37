import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import {
  FeatureUnavailableInTierException,
  InvalidParameterException,
  LimitExceededException,
} from '../../../generated/cognito-idp/errors.js';
import type { UserPoolReplicaRecord } from '../../../store/ports.js';
import { SECONDARY_REPLICA_LIMIT, checkRegionName, toReplicaType } from './replica-shape.js';

/**
 * CreateUserPoolReplica: records a secondary replica of the pool in another Region. Cognito
 * answers `CREATING` and the replica becomes `INACTIVE` once built; Cognate has nothing to build,
 * so the stored replica is `INACTIVE` at once and only this answer says `CREATING`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolReplica.html
 */
export const createUserPoolReplica = defineOperation('CreateUserPoolReplica', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const tier = pool.config.UserPoolTier ?? 'ESSENTIALS';
  if (tier === 'LITE') {
    throw new FeatureUnavailableInTierException('Multi-Region replication requires the ESSENTIALS or PLUS feature plan.');
  }
  checkRegionName(input.RegionName);
  if (input.RegionName === pool.region) {
    throw new InvalidParameterException(`User pool ${pool.id} is already in ${input.RegionName}: a replica needs another Region.`);
  }
  const now = services.clock.now();
  const replica: UserPoolReplicaRecord = {
    poolId: pool.id,
    regionName: input.RegionName,
    status: 'INACTIVE',
    tags: { ...input.UserPoolTags },
    createdAt: now,
    updatedAt: now,
  };
  const outcome = await services.store.userPoolReplicas.create(replica, SECONDARY_REPLICA_LIMIT);
  if (outcome === 'exists') throw new InvalidParameterException(`User pool ${pool.id} already has a replica in ${input.RegionName}.`);
  if (outcome === 'limit') {
    throw new LimitExceededException(
      `User pool ${pool.id} already has ${SECONDARY_REPLICA_LIMIT} secondary replica, the most it can have.`,
    );
  }
  return { UserPoolReplica: toReplicaType(services, replica, 'CREATING') };
});
