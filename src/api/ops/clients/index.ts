import type { AnyOperation } from '../../define-operation.js';
import { createUserPoolClient } from './create-user-pool-client.js';
import { describeUserPoolClient } from './describe-user-pool-client.js';
import { updateUserPoolClient } from './update-user-pool-client.js';
import { deleteUserPoolClient } from './delete-user-pool-client.js';
import { listUserPoolClients } from './list-user-pool-clients.js';
import { addUserPoolClientSecret } from './add-user-pool-client-secret.js';
import { listUserPoolClientSecrets } from './list-user-pool-client-secrets.js';
import { deleteUserPoolClientSecret } from './delete-user-pool-client-secret.js';

/** The clients operations, one module each. */
export const clientsOperations: readonly AnyOperation[] = [
  createUserPoolClient,
  describeUserPoolClient,
  updateUserPoolClient,
  deleteUserPoolClient,
  listUserPoolClients,
  addUserPoolClientSecret,
  listUserPoolClientSecrets,
  deleteUserPoolClientSecret,
];
