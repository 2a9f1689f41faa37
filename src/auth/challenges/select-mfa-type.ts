import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import { MFA_FACTOR_ORDER, type MfaFactor } from '../../domain/mfa.js';
import { mfaCarryOf, mfaChallenge } from '../mfa.js';
import { spendAuthSession } from '../session.js';
import { requireParameter } from '../steps/parameters.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession } from './session.js';
import { mfaAnswerUser } from './mfa-answer.js';

function isFactor(value: string): value is MfaFactor {
  return (MFA_FACTOR_ORDER as readonly string[]).includes(value);
}

/**
 * Answers SELECT_MFA_TYPE with USERNAME and ANSWER, one of the factors the challenge offered
 * (`MFAS_CAN_CHOOSE`): that factor's challenge follows, its code sent for SMS and email. An answer
 * the challenge did not offer is a bad parameter (best-guess wording).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const selectMfaType: ChallengeHandler = {
  name: 'SELECT_MFA_TYPE',
  async respond(ctx, { responses, session }) {
    const state = openChallengeSession(ctx, session, 'SELECT_MFA_TYPE');
    const user = await mfaAnswerUser(ctx, state, responses);
    const answer = requireParameter(responses, 'ANSWER');
    const offered = state.data?.['choices'];
    const choices = Array.isArray(offered) ? offered.filter((c): c is string => typeof c === 'string') : [];
    if (!isFactor(answer) || !choices.includes(answer))
      throw new InvalidParameterException(`Invalid ANSWER ${answer}: expected one of ${choices.join(', ')}.`);
    await spendAuthSession(ctx.services, state);
    return mfaChallenge(ctx, user, answer, mfaCarryOf(state));
  },
};
