import { defineIamOperation } from '../../define-operation.js';
import { checkedDocument, requireRole } from './iam-shapes.js';

/**
 * UpdateAssumeRolePolicy: replaces a role's trust policy.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html
 */
export const updateAssumeRolePolicy = defineIamOperation('UpdateAssumeRolePolicy', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  await services.store.iam.updateTrustPolicy(role.name, checkedDocument(input.PolicyDocument, 'trust'));
  return {};
});
