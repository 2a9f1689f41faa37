import type { AnyOperation } from '../../define-operation.js';
import { signUp } from './sign-up.js';
import { confirmSignUp } from './confirm-sign-up.js';
import { resendConfirmationCode } from './resend-confirmation-code.js';
import { forgotPassword } from './forgot-password.js';
import { confirmForgotPassword } from './confirm-forgot-password.js';
import { getUser } from './get-user.js';
import { updateUserAttributes } from './update-user-attributes.js';
import { verifyUserAttribute } from './verify-user-attribute.js';
import { getUserAttributeVerificationCode } from './get-user-attribute-verification-code.js';
import { deleteUserAttributes } from './delete-user-attributes.js';
import { changePassword } from './change-password.js';
import { deleteUser } from './delete-user.js';
import { globalSignOut } from './global-sign-out.js';
import { revokeToken } from './revoke-token.js';

/** The users operations, one module each: sign-up, recovery and self-service with an access token. */
export const usersOperations: readonly AnyOperation[] = [
  signUp,
  confirmSignUp,
  resendConfirmationCode,
  forgotPassword,
  confirmForgotPassword,
  getUser,
  updateUserAttributes,
  verifyUserAttribute,
  getUserAttributeVerificationCode,
  deleteUserAttributes,
  changePassword,
  deleteUser,
  globalSignOut,
  revokeToken,
];
