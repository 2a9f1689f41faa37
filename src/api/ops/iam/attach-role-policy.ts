import { defineIamOperation } from '../../define-operation.js';
import { NoSuchEntityException } from '../../../generated/iam/errors.js';
import { requireRole } from './iam-shapes.js';

/**
 * AttachRolePolicy: attaches a managed policy of the account to a role; attaching it again changes
 * nothing. AWS managed policies (`arn:aws:iam::aws:policy/...`) are not known to Cognate.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
 */
export const attachRolePolicy = defineIamOperation('AttachRolePolicy', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  const policy = await services.store.iam.getPolicy(input.PolicyArn);
  if (!policy) throw new NoSuchEntityException(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
  await services.store.iam.attachRolePolicy(role.name, policy.arn);
  return {};
});
