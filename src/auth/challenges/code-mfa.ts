import { consumeCode } from '../codes.js';
import { afterMfa, mfaCarryOf } from '../mfa.js';
import { requireParameter } from '../steps/parameters.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession } from './session.js';
import { checkMfaCode, mfaCodeAnswerUser } from './mfa-answer.js';

/** Cognito's answer to a wrong SMS or email MFA code (amplify-js#3066, #11069). */
const MISMATCH = 'Invalid code or auth state for the user.';

/**
 * The answer to a challenge whose code Cognate sent (SMS_MFA with SMS_MFA_CODE, EMAIL_OTP with
 * EMAIL_OTP_CODE): the code stored for the user's MFA, single use and good for the session's three
 * minutes. Wrong codes count toward the MFA lockout; the session stays usable for another try.
 */
function sentCodeMfa(name: 'SMS_MFA' | 'EMAIL_OTP', parameter: string): ChallengeHandler {
  return {
    name,
    async respond(ctx, { responses, session }, next) {
      const { services, pool } = ctx;
      const state = openChallengeSession(ctx, session, name);
      const user = await mfaCodeAnswerUser(ctx, state, responses);
      const code = requireParameter(responses, parameter);
      // The session is spent by checkMfaCode's claim once the code is right.
      await checkMfaCode(ctx, state, user, MISMATCH, async () => {
        await consumeCode(services, pool, user, 'mfa', code);
        return true;
      });
      return next(ctx, user, await afterMfa(ctx, user, mfaCarryOf(state)));
    },
  };
}

/** SMS_MFA: the code sent by SMS to the user's phone_number. */
export const smsMfa = sentCodeMfa('SMS_MFA', 'SMS_MFA_CODE');

/** EMAIL_OTP as a second factor: the code sent to the user's email address. */
export const emailOtpMfa = sentCodeMfa('EMAIL_OTP', 'EMAIL_OTP_CODE');
