import { defineIamOperation } from '../../define-operation.js';
import { NoSuchEntityException } from '../../../generated/iam/errors.js';
import { requireRole } from './iam-shapes.js';

/**
 * DetachRolePolicy: detaches a managed policy from a role; one that is not attached is NoSuchEntity.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachRolePolicy.html
 */
export const detachRolePolicy = defineIamOperation('DetachRolePolicy', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  if (!(await services.store.iam.detachRolePolicy(role.name, input.PolicyArn))) {
    throw new NoSuchEntityException(`Policy ${input.PolicyArn} was not found.`);
  }
  return {};
});
