import type { MFAOptionType } from '../../../generated/cognito-idp/shapes.js';
import type { UserRecord } from '../../../store/ports.js';
import { userMfaSettings } from '../../../domain/mfa.js';

/** The MFA members of AdminGetUser and GetUser, each absent when the user has none. */
export interface UserMfaFields {
  MFAOptions?: MFAOptionType[];
  PreferredMfaSetting?: string;
  UserMFASettingList?: string[];
}

/**
 * The user's MFA settings as AdminGetUser and GetUser report them (both call this):
 * `UserMFASettingList` (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, in that order),
 * `PreferredMfaSetting`, and the legacy `MFAOptions`, which only ever describes SMS to
 * `phone_number` and so only appears while SMS MFA is on and the user has a phone number.
 */
export function userMfaFields(user: UserRecord): UserMfaFields {
  const { enabled, preferred } = userMfaSettings(user);
  const fields: UserMfaFields = {};
  if (enabled.includes('SMS_MFA') && user.attributes['phone_number'] !== undefined) {
    fields.MFAOptions = [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }];
  }
  if (preferred !== undefined) fields.PreferredMfaSetting = preferred;
  if (enabled.length > 0) fields.UserMFASettingList = [...enabled];
  return fields;
}
