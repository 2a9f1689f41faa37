import { defineOperation } from '../../define-operation.js';
import {
  CodeMismatchException,
  ExpiredCodeException,
  NotAuthorizedException,
  UserNotFoundException,
} from '../../../generated/cognito-idp/errors.js';
import { consumeCode, decoyCodeHolder } from '../../../auth/codes.js';
import { withNewPassword } from '../../../auth/passwords.js';
import { checkPasswordAgainstPolicy } from '../../../domain/password-policy.js';
import { checkNewPassword } from '../../../auth/threat-protection.js';
import { confirmUser } from '../../../auth/confirm-user.js';
import { USER_NOT_FOUND_MESSAGE, hidesUserExistence, publicTarget } from './shared.js';

const CODE_MISMATCH = 'Invalid verification code provided, please try again.';

/**
 * ConfirmForgotPassword: checks the reset code and sets the new password; the user becomes
 * CONFIRMED (through confirmUser, which runs the post confirmation trigger). Sessions are left alone. The password is checked against the policy before the code
 * is used, so a weak password does not burn the code.
 *
 * With no reset code outstanding, ExpiredCodeException. Clients that hide user existence answer an
 * unknown or disabled user, or one with no code, from the name's decoy code (see ForgotPassword):
 * CodeMismatchException, LimitExceededException after five guesses, as for a user's code
 * (Developer Guide, "Managing error responses").
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html
 */
export const confirmForgotPassword = defineOperation('ConfirmForgotPassword', async (input, { services, sourceIp }) => {
  const { client, pool, user } = await publicTarget(services, input.ClientId, input.Username, input.SecretHash);
  const hides = hidesUserExistence(client);
  const code = user && (await services.store.codes.get(pool.id, user.usernameKey, 'forgot-password'));
  if (!user || !user.enabled || !code) {
    if (hides) {
      // The name's decoy code, if ForgotPassword stored one, answers as a user's code would.
      checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, input.Password, 'ConfirmForgotPassword');
      await consumeCode(services, pool, await decoyCodeHolder(services, pool, input.Username), 'forgot-password', input.ConfirmationCode);
      throw new CodeMismatchException(CODE_MISMATCH);
    }
    if (!user) throw new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    throw new ExpiredCodeException('Invalid code provided, please request a code again.');
  }
  checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, input.Password, 'ConfirmForgotPassword');
  const check = { pool, clientId: client.clientId, sourceIp, event: 'PASSWORD_CHANGE', password: input.Password } as const;
  await checkNewPassword(services, check);
  await consumeCode(services, pool, user, 'forgot-password', input.ConfirmationCode);
  const updated = await withNewPassword(services, pool, user, input.Password);
  await confirmUser(services, pool, {
    source: 'PostConfirmation_ConfirmForgotPassword',
    clientId: client.clientId,
    user: updated,
    clientMetadata: input.ClientMetadata,
  });
  return {};
});
