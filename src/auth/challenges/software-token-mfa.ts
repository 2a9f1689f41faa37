import { SoftwareTokenMFANotFoundException } from '../../generated/cognito-idp/errors.js';
import { spendTotpCode } from '../totp.js';
import { afterMfa, mfaCarryOf } from '../mfa.js';
import { requireParameter } from '../steps/parameters.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession } from './session.js';
import { checkMfaCode, mfaCodeAnswerUser } from './mfa-answer.js';

/** Cognito's answers to a wrong TOTP code, and to a user without an authenticator (amazon-cognito-identity-js#630). */
const MISMATCH = 'Invalid code received for user';
export const SOFTWARE_TOKEN_NOT_FOUND = 'Software Token MFA does not exist for the user.';

/**
 * Answers SOFTWARE_TOKEN_MFA with USERNAME and SOFTWARE_TOKEN_MFA_CODE, the code of the user's
 * authenticator app (RFC 6238, one step of skew either way; a step already used is refused).
 * Wrong codes count toward the MFA lockout; the session stays usable for another try until it
 * expires. A right code ends MFA, and the sign-in goes on (a remembered device, then tokens).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const softwareTokenMfa: ChallengeHandler = {
  name: 'SOFTWARE_TOKEN_MFA',
  async respond(ctx, { responses, session }, next) {
    const { services } = ctx;
    const state = openChallengeSession(ctx, session, 'SOFTWARE_TOKEN_MFA');
    const user = await mfaCodeAnswerUser(ctx, state, responses);
    const code = requireParameter(responses, 'SOFTWARE_TOKEN_MFA_CODE');
    const sealed = user.extra.mfa?.totpSecret;
    if (sealed === undefined) throw new SoftwareTokenMFANotFoundException(SOFTWARE_TOKEN_NOT_FOUND);
    // The step is spent and recorded in the user's extra in one guarded write, and the session
    // spent by its claim: no further writes once the code is right.
    const updated = await checkMfaCode(ctx, state, user, MISMATCH, () => spendTotpCode(services, user, sealed, code));
    return next(ctx, updated, await afterMfa(ctx, updated, mfaCarryOf(state)));
  },
};
