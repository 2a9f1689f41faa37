import { defineOperation } from '../../define-operation.js';
import { NotAuthorizedException } from '../../../generated/cognito-idp/errors.js';
import { requirePoolUser } from '../../lookup.js';

/**
 * AdminConfirmSignUp: UNCONFIRMED → CONFIRMED, without verifying email or phone (Cognito leaves
 * `email_verified` as it was). Any other status is refused with Cognito's
 * `User cannot be confirmed. Current status is CONFIRMED` (NotAuthorizedException).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html
 */
export const adminConfirmSignUp = defineOperation('AdminConfirmSignUp', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  if (user.status !== 'UNCONFIRMED') {
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }
  await services.store.users.update({ ...user, status: 'CONFIRMED', updatedAt: services.clock.now() });
  // The sign-up code can no longer be used.
  const code = await services.store.codes.get(pool.id, user.usernameKey, 'signup');
  if (code) await services.store.codes.delete(code.id);
  return {};
});
