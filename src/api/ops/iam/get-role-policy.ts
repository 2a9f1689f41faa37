import { defineIamOperation } from '../../define-operation.js';
import { NoSuchEntityException } from '../../../generated/iam/errors.js';
import { encodedDocument, requireRole } from './iam-shapes.js';

/**
 * GetRolePolicy: one inline policy of a role, its document URL-encoded as IAM answers it.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
 */
export const getRolePolicy = defineIamOperation('GetRolePolicy', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  const policy = await services.store.iam.getRolePolicy(role.name, input.PolicyName);
  if (!policy) throw new NoSuchEntityException(`The role policy with name ${input.PolicyName} cannot be found.`);
  return { RoleName: role.name, PolicyName: policy.policyName, PolicyDocument: encodedDocument(policy.document) };
});
