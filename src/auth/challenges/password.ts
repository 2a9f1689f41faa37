import { answerFactor } from '../first-factors.js';
import type { ChallengeHandler } from './types.js';

/**
 * PASSWORD, the first factor of USER_AUTH when it was chosen without the password: the answer
 * carries `PASSWORD`, checked as USER_PASSWORD_AUTH checks it.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses
 */
export const passwordChallenge: ChallengeHandler = {
  name: 'PASSWORD',
  respond: (ctx, answer, next) => answerFactor(ctx, 'PASSWORD', answer, next),
};
