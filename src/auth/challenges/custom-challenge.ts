import { continueCustomAuth, customAuthNotConfigured, customChallengeData } from '../custom-auth.js';
import { hidesUserExistence, openFirstFactorAnswer } from '../first-factors.js';
import { spendAuthSession } from '../session.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { verifyAuthChallengeResponse } from '../../triggers/events/verify-auth-challenge-response.js';
import type { ChallengeHandler } from './types.js';

/**
 * Answers CUSTOM_CHALLENGE with ANSWER: the session must be this challenge's, for the same user
 * (or the same typed name, for a name that matches no user); it is spent before the verify trigger
 * runs, so each challenge takes one answer (a wrong one gets a new challenge only if define asks
 * for one). The round's result joins the history with the create trigger's `challengeMetadata`,
 * and define decides what follows. This request's ClientMetadata reaches verify, define and create.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const customChallenge: ChallengeHandler = {
  name: 'CUSTOM_CHALLENGE',
  async respond(ctx, answer, next) {
    const { state, user } = await openFirstFactorAnswer(ctx, 'CUSTOM_CHALLENGE', answer);
    const data = customChallengeData(state);
    const challengeAnswer = requireParameter(answer.responses, 'ANSWER');
    await spendAuthSession(ctx.services, state);
    const subject = { userName: user?.username ?? data.typed, user, hidesUserExistence: hidesUserExistence(ctx) };
    const correct = await verifyAuthChallengeResponse(ctx.services, ctx.pool, {
      subject,
      clientId: ctx.client.clientId,
      privateChallengeParameters: data.privateChallengeParameters,
      challengeAnswer,
      clientMetadata: ctx.clientMetadata,
    });
    if (correct === undefined) throw customAuthNotConfigured();
    return continueCustomAuth(
      ctx,
      {
        typed: data.typed,
        user,
        history: [
          ...data.history,
          { challengeName: 'CUSTOM_CHALLENGE', challengeResult: correct, challengeMetadata: data.challengeMetadata },
        ],
        deviceKey: optionalParameter(answer.responses, 'DEVICE_KEY') ?? data.deviceKey,
        clientMetadata: ctx.clientMetadata,
      },
      next,
    );
  },
};
