import type { AnyIamOperation } from '../../define-operation.js';
import { attachRolePolicy } from './attach-role-policy.js';
import { createPolicy } from './create-policy.js';
import { createRole } from './create-role.js';
import { createSamlProvider } from './create-saml-provider.js';
import { deleteSamlProvider } from './delete-saml-provider.js';
import { getSamlProvider } from './get-saml-provider.js';
import { deleteRole } from './delete-role.js';
import { deleteRolePolicy } from './delete-role-policy.js';
import { detachRolePolicy } from './detach-role-policy.js';
import { getRole } from './get-role.js';
import { getRolePolicy } from './get-role-policy.js';
import { listAttachedRolePolicies } from './list-attached-role-policies.js';
import { listRolePolicies } from './list-role-policies.js';
import { listRoles } from './list-roles.js';
import { putRolePolicy } from './put-role-policy.js';
import { updateAssumeRolePolicy } from './update-assume-role-policy.js';

/** The IAM operations (roles and their policies, SAML providers), one module each. */
export const iamOperations: readonly AnyIamOperation[] = [
  createRole,
  getRole,
  updateAssumeRolePolicy,
  deleteRole,
  listRoles,
  putRolePolicy,
  getRolePolicy,
  deleteRolePolicy,
  listRolePolicies,
  createPolicy,
  attachRolePolicy,
  detachRolePolicy,
  listAttachedRolePolicies,
  createSamlProvider,
  getSamlProvider,
  deleteSamlProvider,
];
