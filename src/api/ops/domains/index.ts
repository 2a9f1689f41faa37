import type { AnyOperation } from '../../define-operation.js';
import { createUserPoolDomain } from './create-user-pool-domain.js';
import { describeUserPoolDomain } from './describe-user-pool-domain.js';
import { updateUserPoolDomain } from './update-user-pool-domain.js';
import { deleteUserPoolDomain } from './delete-user-pool-domain.js';

/** The user pool domain operations, one module each. */
export const domainsOperations: readonly AnyOperation[] = [
  createUserPoolDomain,
  describeUserPoolDomain,
  updateUserPoolDomain,
  deleteUserPoolDomain,
];
