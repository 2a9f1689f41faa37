import { answerFactor } from '../first-factors.js';
import type { ChallengeHandler } from './types.js';

/**
 * PASSWORD_SRP, the first factor of USER_AUTH when it was chosen without `SRP_A`: the answer
 * carries `SRP_A` and leads to PASSWORD_VERIFIER, as in USER_SRP_AUTH.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses
 */
export const passwordSrpChallenge: ChallengeHandler = {
  name: 'PASSWORD_SRP',
  respond: (ctx, answer, next) => answerFactor(ctx, 'PASSWORD_SRP', answer, next),
};
