import type { AnyOperation } from '../../define-operation.js';
import { createGroup } from './create-group.js';
import { getGroup } from './get-group.js';
import { updateGroup } from './update-group.js';
import { deleteGroup } from './delete-group.js';
import { listGroups } from './list-groups.js';
import { adminAddUserToGroup } from './admin-add-user-to-group.js';
import { adminRemoveUserFromGroup } from './admin-remove-user-from-group.js';
import { adminListGroupsForUser } from './admin-list-groups-for-user.js';
import { listUsersInGroup } from './list-users-in-group.js';

/** The groups operations, one module each. */
export const groupsOperations: readonly AnyOperation[] = [
  createGroup,
  getGroup,
  updateGroup,
  deleteGroup,
  listGroups,
  adminAddUserToGroup,
  adminRemoveUserFromGroup,
  adminListGroupsForUser,
  listUsersInGroup,
];
