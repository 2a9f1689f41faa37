import type { AuthFactorType, GetUserAuthFactorsResponse } from '../../../generated/cognito-idp/shapes.js';
import type { UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { userMfaFields } from '../admin-users/user-mfa.js';

/**
 * What GetUserAuthFactors and AdminGetUserAuthFactors report: the user's MFA settings as GetUser
 * words them, and `ConfiguredUserAuthFactors`, the factors the user has set up, in the order of
 * Cognito's AuthFactorType: PASSWORD when the user has a password the pool accepts as a first
 * factor; EMAIL_OTP, SMS_OTP and SOFTWARE_TOKEN when the user has that MFA on. Passkeys
 * (WEB_AUTHN) and the passwordless first factors are not run by Cognate, so never reported.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAuthFactors.html
 */
export function userAuthFactors(pool: UserPoolRecord, user: UserRecord): GetUserAuthFactorsResponse {
  const { PreferredMfaSetting, UserMFASettingList } = userMfaFields(user);
  const mfa = new Set(UserMFASettingList ?? []);
  const allowed = pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
  const factors: AuthFactorType[] = [];
  if (user.passwordHash && allowed.includes('PASSWORD')) factors.push('PASSWORD');
  if (mfa.has('EMAIL_OTP')) factors.push('EMAIL_OTP');
  if (mfa.has('SMS_MFA')) factors.push('SMS_OTP');
  if (mfa.has('SOFTWARE_TOKEN_MFA')) factors.push('SOFTWARE_TOKEN');
  return {
    Username: user.username,
    ...(PreferredMfaSetting !== undefined ? { PreferredMfaSetting } : {}),
    ...(UserMFASettingList !== undefined ? { UserMFASettingList } : {}),
    ConfiguredUserAuthFactors: factors,
  };
}
