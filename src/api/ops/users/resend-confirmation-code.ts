import { defineOperation } from '../../define-operation.js';
import { InvalidParameterException, UserNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { sendCode, sendDecoyCode } from '../../../auth/codes.js';
import { USER_NOT_FOUND_MESSAGE, hidesUserExistence, publicTarget, signUpDestination, simulatedDelivery } from './shared.js';
import { clientOrigin } from '../../../triggers/events/custom-message.js';

/**
 * ResendConfirmationCode: a new sign-up code (replacing the last one) for an UNCONFIRMED user, to
 * the same destination SignUp chose. At most five an hour per user (Cognito's quota), then
 * LimitExceededException.
 *
 * Clients that hide user existence answer an unknown or disabled user with a simulated delivery,
 * under the same hourly quota (a decoy code nobody receives is stored for the name).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html
 */
export const resendConfirmationCode = defineOperation('ResendConfirmationCode', async (input, { services }) => {
  const { client, pool, user } = await publicTarget(services, input.ClientId, input.Username, input.SecretHash);
  if (!user || (!user.enabled && hidesUserExistence(client))) {
    if (hidesUserExistence(client)) {
      return {
        CodeDeliveryDetails: await sendDecoyCode(
          services,
          pool,
          input.Username,
          'signup',
          simulatedDelivery(pool, input.Username, 'signup'),
        ),
      };
    }
    throw new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
  }
  // Captured: "User is already confirmed." (InvalidParameterException, as Amplify expects).
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  const to = signUpDestination(pool, user);
  // Captured text; a pool without auto-verified attributes has nowhere to send the code.
  if (!to) throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
  return {
    CodeDeliveryDetails: await sendCode(
      services,
      pool,
      user,
      'signup',
      'ResendCode',
      to,
      clientOrigin(input.ClientId, input.ClientMetadata),
    ),
  };
});
