import { defineIamOperation } from '../../define-operation.js';
import { decodeMarker, iamPage, roleShape, rowsFor } from './iam-shapes.js';

/**
 * ListRoles: the roles under `PathPrefix` (all by default) in name order, `MaxItems` (100 by
 * default) at a time, with `IsTruncated` and a `Marker` while more remain.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
 */
export const listRoles = defineIamOperation('ListRoles', async (input, { services }) => {
  const rows = await services.store.iam.listRoles(input.PathPrefix ?? '/', rowsFor(input.MaxItems), decodeMarker(input.Marker));
  const { items, ...page } = iamPage(rows, input.MaxItems, (role) => role.name);
  return { Roles: items.map(roleShape), ...page };
});
