import type { MFAOptionType } from '../../../generated/cognito-idp/shapes.js';
import type { UserRecord } from '../../../store/ports.js';

/** The MFA members of AdminGetUser and GetUser, each absent when the user has none. */
export interface UserMfaFields {
  MFAOptions?: MFAOptionType[];
  PreferredMfaSetting?: string;
  UserMFASettingList?: string[];
}

/**
 * The user's MFA settings as AdminGetUser and GetUser report them: `UserMFASettingList` (SMS_MFA,
 * EMAIL_OTP, SOFTWARE_TOKEN_MFA), `PreferredMfaSetting`, and the legacy `MFAOptions`, which only
 * ever describes SMS to `phone_number`.
 */
export function userMfaFields(user: UserRecord): UserMfaFields {
  const mfa = user.extra.mfa;
  if (!mfa) return {};
  const enabled = new Set(mfa.enabled ?? []);
  if (mfa.smsEnabled) enabled.add('SMS_MFA');
  if (mfa.totpEnabled) enabled.add('SOFTWARE_TOKEN_MFA');
  if (mfa.emailEnabled) enabled.add('EMAIL_OTP');
  const order = ['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA'];
  const list = [...enabled].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const fields: UserMfaFields = {};
  if (enabled.has('SMS_MFA')) fields.MFAOptions = [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }];
  if (mfa.preferred) fields.PreferredMfaSetting = mfa.preferred;
  if (list.length > 0) fields.UserMFASettingList = list;
  return fields;
}
