import { defineIamOperation } from '../../define-operation.js';
import { requireRole, roleShape } from './iam-shapes.js';

/**
 * GetRole: the role with its trust policy, URL-encoded as IAM answers it.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
 */
export const getRole = defineIamOperation('GetRole', async (input, { services }) => ({
  Role: roleShape(await requireRole(services, input.RoleName)),
}));
