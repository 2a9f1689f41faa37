import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { decodePageToken } from '../../paging.js';
import { primaryReplica, toReplicaType } from './replica-shape.js';

/**
 * ListUserPoolReplicas: "both primary and secondary replicas", the primary (this server's Region)
 * first. A pool has at most two, so there is one page; a NextToken is still checked as other
 * list operations check theirs.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolReplicas.html
 */
export const listUserPoolReplicas = defineOperation('ListUserPoolReplicas', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  decodePageToken(input.NextToken, requestId);
  const secondaries = await services.store.userPoolReplicas.list(pool.id);
  return { UserPoolReplicas: [primaryReplica(services, pool), ...secondaries.map((replica) => toReplicaType(services, replica))] };
});
