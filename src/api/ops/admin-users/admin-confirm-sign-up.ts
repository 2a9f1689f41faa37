import { defineOperation } from '../../define-operation.js';
import { NotAuthorizedException } from '../../../generated/cognito-idp/errors.js';
import { requirePoolUser } from '../../lookup.js';
import { confirmUser } from '../../../auth/confirm-user.js';
import { CLIENT_ID_NOT_APPLICABLE } from '../../../triggers/fire.js';

/**
 * AdminConfirmSignUp: UNCONFIRMED → CONFIRMED, without verifying email or phone (Cognito leaves
 * `email_verified` as it was). Any other status is refused with Cognito's
 * `User cannot be confirmed. Current status is CONFIRMED` (NotAuthorizedException). The post
 * confirmation trigger runs as for ConfirmSignUp (`PostConfirmation_ConfirmSignUp`).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html
 */
export const adminConfirmSignUp = defineOperation('AdminConfirmSignUp', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  if (user.status !== 'UNCONFIRMED') {
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }
  // The sign-up code can no longer be used.
  const code = await services.store.codes.get(pool.id, user.usernameKey, 'signup');
  if (code) await services.store.codes.delete(code.id);
  await confirmUser(services, pool, {
    source: 'PostConfirmation_ConfirmSignUp',
    clientId: CLIENT_ID_NOT_APPLICABLE,
    user,
    clientMetadata: input.ClientMetadata,
  });
  return {};
});
