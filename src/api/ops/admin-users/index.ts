import type { AnyOperation } from '../../define-operation.js';
import { adminCreateUser } from './admin-create-user.js';
import { adminGetUser } from './admin-get-user.js';
import { adminDeleteUser } from './admin-delete-user.js';
import { adminEnableUser } from './admin-enable-user.js';
import { adminDisableUser } from './admin-disable-user.js';
import { adminUpdateUserAttributes } from './admin-update-user-attributes.js';
import { adminDeleteUserAttributes } from './admin-delete-user-attributes.js';
import { adminSetUserPassword } from './admin-set-user-password.js';
import { adminResetUserPassword } from './admin-reset-user-password.js';
import { adminConfirmSignUp } from './admin-confirm-sign-up.js';
import { adminUserGlobalSignOut } from './admin-user-global-sign-out.js';
import { listUsers } from './list-users.js';
import { adminLinkProviderForUser } from './admin-link-provider-for-user.js';
import { adminDisableProviderForUser } from './admin-disable-provider-for-user.js';

/** The admin-users operations, one module each. */
export const adminusersOperations: readonly AnyOperation[] = [
  adminCreateUser,
  adminGetUser,
  adminDeleteUser,
  adminEnableUser,
  adminDisableUser,
  adminUpdateUserAttributes,
  adminDeleteUserAttributes,
  adminSetUserPassword,
  adminResetUserPassword,
  adminConfirmSignUp,
  adminUserGlobalSignOut,
  listUsers,
  adminLinkProviderForUser,
  adminDisableProviderForUser,
];
