import { defineOperation } from '../../define-operation.js';
import {
  CodeMismatchException,
  ExpiredCodeException,
  NotAuthorizedException,
  UserNotFoundException,
} from '../../../generated/cognito-idp/errors.js';
import { consumeCode } from '../../../auth/codes.js';
import { withNewPassword } from '../../../auth/passwords.js';
import { checkPasswordAgainstPolicy } from '../../../domain/password-policy.js';
import { USER_NOT_FOUND_MESSAGE, hidesUserExistence, publicTarget } from './shared.js';

const CODE_MISMATCH = 'Invalid verification code provided, please try again.';

/**
 * ConfirmForgotPassword: checks the reset code and sets the new password; the user becomes
 * CONFIRMED. Sessions are left alone. The password is checked against the policy before the code
 * is used, so a weak password does not burn the code.
 *
 * With no reset code outstanding, ExpiredCodeException; clients that hide user existence answer an
 * unknown or disabled user with CodeMismatchException (Developer Guide, "Managing error responses").
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html
 */
export const confirmForgotPassword = defineOperation('ConfirmForgotPassword', async (input, { services }) => {
  const { client, pool, user } = await publicTarget(services, input.ClientId, input.Username, input.SecretHash);
  const hides = hidesUserExistence(client);
  if (!user) {
    if (hides) throw new CodeMismatchException(CODE_MISMATCH);
    throw new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
  }
  if (!user.enabled) {
    if (hides) throw new CodeMismatchException(CODE_MISMATCH);
    throw new NotAuthorizedException('User is disabled.');
  }
  if (!(await services.store.codes.get(pool.id, user.usernameKey, 'forgot-password'))) {
    throw new ExpiredCodeException('Invalid code provided, please request a code again.');
  }
  checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, input.Password, 'ConfirmForgotPassword');
  await consumeCode(services, pool, user, 'forgot-password', input.ConfirmationCode);
  const updated = await withNewPassword(services, pool, user, input.Password);
  await services.store.users.update({ ...updated, status: 'CONFIRMED' });
  return {};
});
