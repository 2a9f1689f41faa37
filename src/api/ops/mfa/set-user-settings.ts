import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { saveMfaSettings, withMfaOptions } from './mfa-preference.js';

/**
 * SetUserSettings (legacy): the signed-in user turns SMS MFA on or off with `MFAOptions`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserSettings.html
 */
export const setUserSettings = defineOperation('SetUserSettings', async (input, { services }) => {
  const { user } = await authenticateAccessToken(services, input.AccessToken);
  await saveMfaSettings(services, withMfaOptions(user, input.MFAOptions));
  return {};
});
