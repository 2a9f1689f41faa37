import type { ChallengeHandler } from './types.js';
import { openChallengeSession } from './session.js';
import { emailOtpChallenge } from './otp-first-factor.js';
import { emailOtpMfa } from './code-mfa.js';

/**
 * EMAIL_OTP names two challenges in Cognito: USER_AUTH's passwordless first factor and email MFA
 * after a first factor. The sealed session says which one it asked: a first factor's session is
 * sealed with `firstFactor` (src/auth/passwordless.ts), so a client cannot pick the other.
 */
export const emailOtp: ChallengeHandler = {
  name: 'EMAIL_OTP',
  respond(ctx, answer, next) {
    const state = openChallengeSession(ctx, answer.session, 'EMAIL_OTP');
    const handler = state.data?.['firstFactor'] === true ? emailOtpChallenge : emailOtpMfa;
    return handler.respond(ctx, answer, next);
  },
};
