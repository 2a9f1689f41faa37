import type { AnyOperation } from '../../define-operation.js';
import { createUserPoolReplica } from './create-user-pool-replica.js';
import { listUserPoolReplicas } from './list-user-pool-replicas.js';
import { updateUserPoolReplica } from './update-user-pool-replica.js';
import { deleteUserPoolReplica } from './delete-user-pool-replica.js';

/** The user pool replica operations, one module each. */
export const replicasOperations: readonly AnyOperation[] = [
  createUserPoolReplica,
  listUserPoolReplicas,
  updateUserPoolReplica,
  deleteUserPoolReplica,
];
