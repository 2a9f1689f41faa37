import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { saveMfaSettings, withMfaPreference } from './mfa-preference.js';

/**
 * AdminSetUserMFAPreference: an administrator turns a user's MFA factors on or off and picks the
 * preferred one, with the same rules as SetUserMFAPreference.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserMFAPreference.html
 */
export const adminSetUserMfaPreference = defineOperation('AdminSetUserMFAPreference', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  await saveMfaSettings(services, withMfaPreference(user, input));
  return {};
});
