import { defineOperation } from '../../define-operation.js';
import { checkPasswordAgainstPolicy } from '../../../domain/password-policy.js';
import { withNewPassword } from '../../../auth/passwords.js';
import { requirePoolUser } from '../../lookup.js';

/**
 * AdminSetUserPassword: a permanent password makes the user CONFIRMED (from any status, including
 * UNCONFIRMED, RESET_REQUIRED and EXTERNAL_PROVIDER); a temporary one (Permanent false or absent)
 * puts the user in FORCE_CHANGE_PASSWORD, so the next sign-in meets NEW_PASSWORD_REQUIRED. The
 * pool's password policy applies either way.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
 */
export const adminSetUserPassword = defineOperation('AdminSetUserPassword', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, input.Password, 'AdminSetUserPassword');
  const updated = await withNewPassword(services, pool, user, input.Password);
  await services.store.users.update({ ...updated, status: input.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD' });
  return {};
});
