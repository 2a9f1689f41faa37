import { defineOperation } from '../../define-operation.js';
import type { GetUserResponse } from '../../../generated/cognito-idp/shapes.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { attributeList } from '../../user-shapes.js';
import { userMfaFields } from '../admin-users/user-mfa.js';

/**
 * GetUser: the signed-in user's attributes (limited to the client's ReadAttributes when it has a
 * list; `sub` always) and MFA settings. MFAOptions is the legacy SMS-only view, present only for a
 * user with SMS MFA; UserMFASettingList and PreferredMfaSetting only when set: the one reader
 * AdminGetUser uses too (`userMfaFields`).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html
 */
export const getUser = defineOperation('GetUser', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  const client = await services.store.clients.get(pool.id, claims.client_id);
  const readable = client?.config.ReadAttributes;
  const names = readable ? Object.keys(user.attributes).filter((name) => name === 'sub' || readable.includes(name)) : undefined;

  const response: GetUserResponse = { Username: user.username, UserAttributes: attributeList(user, names), ...userMfaFields(user) };
  return response;
});
