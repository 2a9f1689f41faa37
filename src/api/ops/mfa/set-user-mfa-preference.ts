import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { saveMfaSettings, withMfaPreference } from './mfa-preference.js';

/**
 * SetUserMFAPreference: the signed-in user turns MFA factors on or off and picks the preferred one.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
 */
export const setUserMfaPreference = defineOperation('SetUserMFAPreference', async (input, { services }) => {
  const { user } = await authenticateAccessToken(services, input.AccessToken);
  await saveMfaSettings(services, withMfaPreference(user, input));
  return {};
});
