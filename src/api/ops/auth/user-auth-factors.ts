import type { AuthFactorType, GetUserAuthFactorsResponse } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { canReceiveOtp } from '../../../auth/passwordless.js';
import { passkeysEnabled } from '../../../auth/webauthn.js';
import { userMfaFields } from '../admin-users/user-mfa.js';

/**
 * What GetUserAuthFactors and AdminGetUserAuthFactors report: the user's MFA settings as GetUser
 * words them, and `ConfiguredUserAuthFactors`, the factors the user has set up, in the order of
 * Cognito's AuthFactorType: PASSWORD when the user has a password the pool accepts as a first
 * factor; EMAIL_OTP and SMS_OTP when the user has that MFA on or the pool signs in with the code
 * and the user has somewhere to receive it; SOFTWARE_TOKEN when the user has TOTP MFA on; WEB_AUTHN
 * when the pool offers passkeys and the user has registered one.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAuthFactors.html
 */
export async function userAuthFactors(services: Services, pool: UserPoolRecord, user: UserRecord): Promise<GetUserAuthFactorsResponse> {
  const { PreferredMfaSetting, UserMFASettingList } = userMfaFields(user);
  const mfa = new Set(UserMFASettingList ?? []);
  const allowed = pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
  const factors: AuthFactorType[] = [];
  if (user.passwordHash && allowed.includes('PASSWORD')) factors.push('PASSWORD');
  if (mfa.has('EMAIL_OTP') || (allowed.includes('EMAIL_OTP') && canReceiveOtp(user, 'EMAIL_OTP'))) factors.push('EMAIL_OTP');
  if (mfa.has('SMS_MFA') || (allowed.includes('SMS_OTP') && canReceiveOtp(user, 'SMS_OTP'))) factors.push('SMS_OTP');
  if (passkeysEnabled(pool) && (await services.store.webAuthnCredentials.countForUser(pool.id, user.usernameKey)) > 0)
    factors.push('WEB_AUTHN');
  if (mfa.has('SOFTWARE_TOKEN_MFA')) factors.push('SOFTWARE_TOKEN');
  return {
    Username: user.username,
    ...(PreferredMfaSetting !== undefined ? { PreferredMfaSetting } : {}),
    ...(UserMFASettingList !== undefined ? { UserMFASettingList } : {}),
    ConfiguredUserAuthFactors: factors,
  };
}
