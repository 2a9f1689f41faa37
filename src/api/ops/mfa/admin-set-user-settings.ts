import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { saveMfaSettings, withMfaOptions } from './mfa-preference.js';

/**
 * AdminSetUserSettings (legacy): an administrator turns a user's SMS MFA on or off with `MFAOptions`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserSettings.html
 */
export const adminSetUserSettings = defineOperation('AdminSetUserSettings', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  await saveMfaSettings(services, withMfaOptions(user, input.MFAOptions));
  return {};
});
