import { defineOperation } from '../../define-operation.js';
import { LimitExceededException, NotAuthorizedException } from '../../../generated/cognito-idp/errors.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { withNewPassword } from '../../../auth/passwords.js';
import { checkPasswordAgainstPolicy } from '../../../domain/password-policy.js';
import { verifyPassword } from '../../../crypto/password-hash.js';
import { checkNewPassword } from '../../../auth/threat-protection.js';
import { missingMember } from './shared.js';

/** Cognito's quota: ChangePassword five times an hour per user. */
export const CHANGE_PASSWORD_PER_HOUR = 5;
const HOUR = 3_600_000;

/**
 * ChangePassword: the signed-in user sets a new password, proving the current one
 * (PreviousPassword, needed whenever the user has a password). A wrong one is "Incorrect username
 * or password."; past the hourly quota, LimitExceededException. Other sessions stay signed in.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html
 */
export const changePassword = defineOperation('ChangePassword', async (input, { services, sourceIp }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  if (user.passwordHash !== null && input.PreviousPassword === undefined) throw missingMember('previousPassword');
  const attempts = await services.store.rateCounters.hit(`change-password:${pool.id}:${user.sub}`, HOUR, services.clock.now());
  if (attempts > CHANGE_PASSWORD_PER_HOUR) throw new LimitExceededException('Attempt limit exceeded, please try after some time.');
  if (user.passwordHash !== null && !(await verifyPassword(user.passwordHash, input.PreviousPassword ?? ''))) {
    throw new NotAuthorizedException('Incorrect username or password.');
  }
  checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, input.ProposedPassword, 'ChangePassword');
  const check = { pool, clientId: claims.client_id, sourceIp, event: 'PASSWORD_CHANGE', password: input.ProposedPassword } as const;
  await checkNewPassword(services, check);
  await services.store.users.update(await withNewPassword(services, pool, user, input.ProposedPassword));
  return {};
});
