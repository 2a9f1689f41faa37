import { openFirstFactorAnswer } from '../first-factors.js';
import { checkPasskey } from '../passkey-sign-in.js';
import { spendAuthSession } from '../session.js';
import { requireParameter } from '../steps/parameters.js';
import { assertCanSignIn } from '../steps/user-status.js';
import type { ChallengeHandler } from './types.js';

/**
 * WEB_AUTHN, the passkey first factor of USER_AUTH: `CREDENTIAL` is the browser's
 * AuthenticationResponseJSON for the challenge's CREDENTIAL_REQUEST_OPTIONS. A right one spends
 * the session and signs in.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses
 */
export const webAuthnChallenge: ChallengeHandler = {
  name: 'WEB_AUTHN',
  async respond(ctx, answer, next) {
    const { state, user } = await openFirstFactorAnswer(ctx, 'WEB_AUTHN', answer);
    const credential = requireParameter(answer.responses, 'CREDENTIAL');
    const signedIn = await checkPasskey(ctx, state, { user, credential });
    await spendAuthSession(ctx.services, state);
    assertCanSignIn(signedIn);
    return next(ctx, signedIn);
  },
};
