import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { signOutEverywhere } from './sign-out.js';

/**
 * AdminUserGlobalSignOut: revokes every refresh token of the user and makes Cognito refuse the
 * access tokens issued before now (`Access Token has been revoked`). ID tokens and access tokens
 * verified by relying parties on their own stay valid until they expire, as in Cognito.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html
 */
export const adminUserGlobalSignOut = defineOperation('AdminUserGlobalSignOut', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  await services.store.users.update(await signOutEverywhere(services, user));
  return {};
});
