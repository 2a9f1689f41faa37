import { defineIamOperation } from '../../define-operation.js';
import { DeleteConflictException } from '../../../generated/iam/errors.js';
import { requireRole } from './iam-shapes.js';

/**
 * DeleteRole: as IAM, a role keeps its policies until they are removed, so a role that still has
 * an inline policy or an attached one is refused with DeleteConflict.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
 */
export const deleteRole = defineIamOperation('DeleteRole', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  const { inline, attached } = await services.store.iam.rolePolicies(role.name);
  if (inline.length > 0) throw new DeleteConflictException('Cannot delete entity, must delete policies first.');
  if (attached.length > 0) throw new DeleteConflictException('Cannot delete entity, must detach all policies first.');
  await services.store.iam.deleteRole(role.name);
  return {};
});
