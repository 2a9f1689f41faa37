import { defineOperation } from '../../define-operation.js';
import { InvalidParameterException, NotAuthorizedException } from '../../../generated/cognito-idp/errors.js';
import { sendCode } from '../../../auth/codes.js';
import { requirePoolUser } from '../../lookup.js';
import { recoveryDestination } from '../users/forgot-password.js';
import { adminOrigin } from '../../../triggers/events/custom-message.js';

/**
 * AdminResetUserPassword: puts the user in RESET_REQUIRED — sign-in then answers
 * PasswordResetRequiredException until the user completes ConfirmForgotPassword — and sends a reset
 * code (purpose `forgot-password`) to the recovery destination of AccountRecoverySetting.
 *
 * Only CONFIRMED users (and RESET_REQUIRED ones, who get a fresh code) can be reset; Cognito
 * answers others with NotAuthorizedException `User password cannot be reset in the current state.`.
 * A user with no verified destination gets Cognito's ForgotPassword text `Cannot reset password for
 * the user as there is no registered/verified email or phone_number` (applying it here is a best
 * guess, as moto does).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminResetUserPassword.html
 */
export const adminResetUserPassword = defineOperation('AdminResetUserPassword', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  if (user.status !== 'CONFIRMED' && user.status !== 'RESET_REQUIRED') {
    throw new NotAuthorizedException('User password cannot be reset in the current state.');
  }
  const to = recoveryDestination(pool, user);
  if (!to) {
    throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  await sendCode(services, pool, user, 'forgot-password', 'ForgotPassword', to, adminOrigin(input.ClientMetadata));
  await services.store.users.update({ ...user, status: 'RESET_REQUIRED', updatedAt: services.clock.now() });
  return {};
});
