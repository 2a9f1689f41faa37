import { defineIamOperation } from '../../define-operation.js';
import { checkedDocument, requireRole } from './iam-shapes.js';

/**
 * PutRolePolicy: adds an inline policy to a role, or replaces the one of that name.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
 */
export const putRolePolicy = defineIamOperation('PutRolePolicy', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  const document = checkedDocument(input.PolicyDocument, 'permissions');
  await services.store.iam.putRolePolicy({ roleName: role.name, policyName: input.PolicyName, document });
  return {};
});
