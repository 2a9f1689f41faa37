import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { ReplicaStatusType, UserPoolReplicaType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { UserPoolRecord, UserPoolReplicaRecord } from '../../../store/ports.js';
import { poolArn } from '../pools/pool-shape.js';

/*
 * User pool replicas (multi-Region replication). Cognate serves one Region, so a replica here is
 * a record only: the pool answers in this server's Region as the PRIMARY, and each secondary is a
 * Region with a status that nothing serves (docs/differences.md). The rules are the developer
 * guide's: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html
 * (Essentials or Plus plan, one secondary Region, only an INACTIVE replica can be deleted).
 * Cognito publishes no texts for the refusals; the wording here is Cognate's.
 */

/** Secondary Regions a pool may have: MRR replicates to "a secondary AWS Region". */
export const SECONDARY_REPLICA_LIMIT = 1;

/** An AWS Region name: `us-east-1`, `ap-southeast-2`, `us-gov-west-1`, `eu-isoe-west-1`. */
const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The pool itself, as the list of replicas shows it. */
export function primaryReplica(services: Services, pool: UserPoolRecord): UserPoolReplicaType {
  return { RegionName: pool.region, Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: poolArn(services, pool) };
}

/** A secondary replica; its ARN is the pool's ID in the replica's Region (MRR shares the ID). */
export function toReplicaType(
  services: Services,
  replica: UserPoolReplicaRecord,
  status: ReplicaStatusType = replica.status,
): UserPoolReplicaType {
  return {
    RegionName: replica.regionName,
    Status: status,
    Role: 'SECONDARY',
    UserPoolArn: poolArn(services, { id: replica.poolId, region: replica.regionName }),
  };
}

/** Refuses a Region name that no AWS Region has. */
export function checkRegionName(regionName: string): void {
  if (!REGION_NAME.test(regionName)) throw new InvalidParameterException(`${regionName} is not a valid AWS Region.`);
}

/** Refuses to change the primary through the operations on secondaries. */
export function refusePrimary(pool: UserPoolRecord, regionName: string, action: string): void {
  if (regionName === pool.region) throw new InvalidParameterException(`The primary replica of user pool ${pool.id} cannot be ${action}.`);
}

export function replicaNotFound(poolId: string, regionName: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`User pool ${poolId} has no replica in ${regionName}.`);
}

/** The secondary replica, or ResourceNotFoundException naming it. */
export async function requireReplica(services: Services, pool: UserPoolRecord, regionName: string): Promise<UserPoolReplicaRecord> {
  const replica = await services.store.userPoolReplicas.get(pool.id, regionName);
  if (!replica) throw replicaNotFound(pool.id, regionName);
  return replica;
}
