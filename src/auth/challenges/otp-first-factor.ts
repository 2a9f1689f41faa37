import { openFirstFactorAnswer } from '../first-factors.js';
import { checkSignInCode, OTP_CODE_RESPONSE, type OtpFactor } from '../passwordless.js';
import { invalidSession, spendAuthSession } from '../session.js';
import { requireParameter } from '../steps/parameters.js';
import { assertCanSignIn } from '../steps/user-status.js';
import type { ChallengeAnswer, ChallengeHandler } from './types.js';
import type { ContinueSignIn } from '../flows/types.js';
import type { AuthContext, AuthOutcome } from '../types.js';

/**
 * The code of a passwordless first factor, answered with `EMAIL_OTP_CODE` or `SMS_OTP_CODE`: a
 * right code spends the session and signs in (a passwordless sign-in is never asked for MFA); a
 * wrong one may be corrected with the same session, up to the code's attempts. Its session is
 * marked `firstFactor`, since EMAIL_OTP also names email MFA's challenge.
 */
async function answerCode(ctx: AuthContext, factor: OtpFactor, answer: ChallengeAnswer, next: ContinueSignIn): Promise<AuthOutcome> {
  const { state, typed, user } = await openFirstFactorAnswer(ctx, factor, answer);
  if (state.data?.['firstFactor'] !== true) throw invalidSession();
  const code = requireParameter(answer.responses, OTP_CODE_RESPONSE[factor]);
  const signedIn = await checkSignInCode(ctx, factor, { typed, user, code });
  await spendAuthSession(ctx.services, state);
  assertCanSignIn(signedIn);
  return next(ctx, signedIn);
}

/**
 * EMAIL_OTP as USER_AUTH's first factor.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses
 */
export const emailOtpChallenge: ChallengeHandler = {
  name: 'EMAIL_OTP',
  respond: (ctx, answer, next) => answerCode(ctx, 'EMAIL_OTP', answer, next),
};

/** SMS_OTP as USER_AUTH's first factor. */
export const smsOtpChallenge: ChallengeHandler = {
  name: 'SMS_OTP',
  respond: (ctx, answer, next) => answerCode(ctx, 'SMS_OTP', answer, next),
};
