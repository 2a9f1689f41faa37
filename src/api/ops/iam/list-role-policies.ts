import { defineIamOperation } from '../../define-operation.js';
import { decodeMarker, iamPage, requireRole, rowsFor } from './iam-shapes.js';

/**
 * ListRolePolicies: the names of a role's inline policies, in name order, paged as ListRoles.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html
 */
export const listRolePolicies = defineIamOperation('ListRolePolicies', async (input, { services }) => {
  const role = await requireRole(services, input.RoleName);
  const rows = await services.store.iam.listRolePolicies(role.name, rowsFor(input.MaxItems), decodeMarker(input.Marker));
  const { items, ...page } = iamPage(rows, input.MaxItems, (name) => name);
  return { PolicyNames: items, ...page };
});
