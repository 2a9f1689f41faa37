import { defineOperation } from '../../define-operation.js';
import { CodeMismatchException, NotAuthorizedException, UserNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { consumeCode, decoyCodeHolder } from '../../../auth/codes.js';
import { checkConfirmSession, offersSignUpSession, sealSignUpSession } from '../../../auth/sign-up-session.js';
import { USER_NOT_FOUND_MESSAGE, claimAlias, hidesUserExistence, publicTarget, signUpDestination } from './shared.js';
import { verifiedFlag } from '../../../auth/user-attributes.js';
import { confirmUser } from '../../../auth/confirm-user.js';

/**
 * ConfirmSignUp: checks the sign-up code, makes the user CONFIRMED and marks the attribute the
 * code went to verified. When that attribute is a sign-in alias another user holds,
 * AliasExistsException, unless ForceAliasCreation moves the alias to this user.
 *
 * A confirmed user is refused before the code is looked at ("User cannot be confirmed. Current
 * status is CONFIRMED", captured). Clients that hide user existence answer an unknown user as a
 * wrong code. The post confirmation trigger runs once the user is confirmed (see confirmUser).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html
 */
export const confirmSignUp = defineOperation('ConfirmSignUp', async (input, { services }) => {
  const { client, pool, user } = await publicTarget(services, input.ClientId, input.Username, input.SecretHash);
  if (!user) {
    if (hidesUserExistence(client)) {
      // The name's decoy code, if ResendConfirmationCode stored one, answers as a user's code would.
      await consumeCode(services, pool, await decoyCodeHolder(services, pool, input.Username), 'signup', input.ConfirmationCode);
      throw new CodeMismatchException('Invalid verification code provided, please try again.');
    }
    throw new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
  }
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);

  if (input.Session !== undefined) checkConfirmSession(services, input.Session, { pool, client, user });
  await consumeCode(services, pool, user, 'signup', input.ConfirmationCode);

  const attributes = { ...user.attributes };
  const to = signUpDestination(pool, user);
  if (to) {
    await claimAlias(services, pool, user, to.attribute, to.destination, input.ForceAliasCreation === true);
    attributes[verifiedFlag(to.attribute)] = 'true';
  }
  await confirmUser(services, pool, {
    source: 'PostConfirmation_ConfirmSignUp',
    clientId: client.clientId,
    user: { ...user, attributes },
    clientMetadata: input.ClientMetadata,
  });
  // The session lets USER_AUTH sign the user in without a password (Amplify's autoSignIn).
  return offersSignUpSession(client) ? { Session: sealSignUpSession(services, { pool, client, user, use: 'sign-in' }) } : {};
});
