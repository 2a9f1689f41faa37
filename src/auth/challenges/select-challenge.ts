import { answerChoice } from '../first-factors.js';
import type { ChallengeHandler } from './types.js';

/**
 * SELECT_CHALLENGE, the choice of first factor in USER_AUTH: `ANSWER` names one of the offered
 * factors, optionally with its answer in the same request (`PASSWORD`, or `SRP_A`), as Amplify
 * sends it.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses
 */
export const selectChallenge: ChallengeHandler = {
  name: 'SELECT_CHALLENGE',
  respond: (ctx, answer, next) => answerChoice(ctx, answer, next),
};
