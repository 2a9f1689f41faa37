import { defineIamOperation } from '../../define-operation.js';
import { decodeMarker, iamPage, requireRole, rowsFor } from './iam-shapes.js';

/**
 * ListAttachedRolePolicies: the managed policies attached to a role (under `PathPrefix`), by name
 * and ARN, paged as ListRoles.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html
 */
export const listAttachedRolePolicies = defineIamOperation('ListAttachedRolePolicies', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  const rows = await services.store.iam.listAttachedRolePolicies(
    role.name,
    input.PathPrefix ?? '/',
    rowsFor(input.MaxItems),
    decodeMarker(input.Marker),
  );
  const { items, ...page } = iamPage(rows, input.MaxItems, (policy) => policy.arn);
  return { AttachedPolicies: items.map((policy) => ({ PolicyName: policy.name, PolicyArn: policy.arn })), ...page };
});
