import { defineIamOperation } from '../../define-operation.js';
import { NoSuchEntityException } from '../../../generated/iam/errors.js';
import { requireRole } from './iam-shapes.js';

/**
 * DeleteRolePolicy: removes one inline policy of a role.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePolicy.html
 */
export const deleteRolePolicy = defineIamOperation('DeleteRolePolicy', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  if (!(await services.store.iam.deleteRolePolicy(role.name, input.PolicyName))) {
    throw new NoSuchEntityException(`The role policy with name ${input.PolicyName} cannot be found.`);
  }
  return {};
});
