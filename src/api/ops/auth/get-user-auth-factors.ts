import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { userAuthFactors } from './user-auth-factors.js';

/**
 * GetUserAuthFactors: the signed-in user's MFA settings and the factors set up for choice-based
 * sign-in (USER_AUTH), authorized by an access token with the `aws.cognito.signin.user.admin` scope.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAuthFactors.html
 */
export const getUserAuthFactors = defineOperation('GetUserAuthFactors', async (input, { services }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  return userAuthFactors(services, pool, user);
});
