import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { userAuthFactors } from './user-auth-factors.js';

/**
 * AdminGetUserAuthFactors: GetUserAuthFactors for any user of the pool, named by username, alias
 * or sub, from a trusted back end (SigV4).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUserAuthFactors.html
 */
export const adminGetUserAuthFactors = defineOperation('AdminGetUserAuthFactors', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  return userAuthFactors(services, pool, user);
});
