import { defineOperation } from '../../define-operation.js';
import { epochSeconds } from '../../../lib/clock.js';
import { attributeList } from '../../user-shapes.js';
import { requirePoolUser } from '../../lookup.js';
import { userMfaFields } from './user-mfa.js';

/**
 * AdminGetUser: the user named by username, alias or sub. Note `UserAttributes`, where ListUsers
 * and AdminCreateUser say `Attributes`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
 */
export const adminGetUser = defineOperation('AdminGetUser', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
    ...userMfaFields(user),
  };
});
