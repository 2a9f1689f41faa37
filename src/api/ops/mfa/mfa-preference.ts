import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type {
  EmailMfaSettingsType,
  MFAOptionType,
  SMSMfaSettingsType,
  SoftwareTokenMfaSettingsType,
} from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { UserRecord } from '../../../store/ports.js';
import { userMfaSettings, withMfaSettings, type MfaFactor } from '../../../domain/mfa.js';

/** The factor settings of SetUserMFAPreference and AdminSetUserMFAPreference. */
export interface MfaPreferenceInput {
  SMSMfaSettings?: SMSMfaSettingsType;
  SoftwareTokenMfaSettings?: SoftwareTokenMfaSettingsType;
  EmailMfaSettings?: EmailMfaSettingsType;
}

/** Whether the user has what the factor needs: a phone number, an email address, a verified authenticator. */
function hasDeliveryConfig(user: UserRecord, factor: MfaFactor): boolean {
  if (factor === 'SMS_MFA') return user.attributes['phone_number'] !== undefined;
  if (factor === 'EMAIL_OTP') return user.attributes['email'] !== undefined;
  return user.extra.mfa?.totpSecret !== undefined;
}

/**
 * The user after an MFA preference request: each factor the request names is turned on or off
 * (`Enabled`; left out, it stays as it was) and made preferred or not (`PreferredMfa`; one
 * preferred factor at most, so preferring one replaces the other). Turning a factor on needs what
 * it sends to: Cognito's "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
 * (aws-sdk-js-v3#4645) for an authenticator never verified, the same for SMS without a phone
 * number and email without an address. A factor turned off stops being preferred.
 */
export function withMfaPreference(user: UserRecord, input: MfaPreferenceInput): UserRecord {
  const current = userMfaSettings(user);
  const enabled = new Set<MfaFactor>(current.enabled);
  let preferred = current.preferred;
  const requested: [MfaFactor, SMSMfaSettingsType | undefined][] = [
    ['SMS_MFA', input.SMSMfaSettings],
    ['EMAIL_OTP', input.EmailMfaSettings],
    ['SOFTWARE_TOKEN_MFA', input.SoftwareTokenMfaSettings],
  ];
  for (const [factor, settings] of requested) {
    if (settings === undefined) continue;
    if (settings.Enabled === true) {
      if (!hasDeliveryConfig(user, factor))
        throw new InvalidParameterException(`User does not have delivery config set to turn on ${factor}`);
      enabled.add(factor);
    } else if (settings.Enabled === false) {
      enabled.delete(factor);
    }
    if (settings.PreferredMfa === true) {
      // Best-guess wording: only a factor that is on can be the one Cognito asks for.
      if (!enabled.has(factor)) throw new InvalidParameterException(`${factor} must be enabled to be the preferred MFA method.`);
      preferred = factor;
    } else if ((settings.PreferredMfa === false || settings.Enabled === false) && preferred === factor) {
      preferred = undefined;
    }
  }
  return withMfaSettings(user, { enabled: [...enabled], preferred });
}

/**
 * The user after the legacy SetUserSettings / AdminSetUserSettings: `MFAOptions` can only describe
 * SMS to `phone_number` (Cognito: "Only phone_number attribute is currently supported as a MFA
 * option."); a list with an option turns SMS MFA on, an empty list turns it off.
 */
export function withMfaOptions(user: UserRecord, options: readonly MFAOptionType[]): UserRecord {
  for (const option of options) {
    if (option.AttributeName !== undefined && option.AttributeName !== 'phone_number') {
      throw new InvalidParameterException('Only phone_number attribute is currently supported as a MFA option.');
    }
    // Best-guess wording for the medium, which the model says can only be SMS.
    if (option.DeliveryMedium !== undefined && option.DeliveryMedium !== 'SMS') {
      throw new InvalidParameterException('Only SMS delivery medium is currently supported as a MFA option.');
    }
  }
  return withMfaPreference(user, { SMSMfaSettings: { Enabled: options.length > 0 } });
}

/** Saves the user's new MFA settings. */
export async function saveMfaSettings(services: Services, user: UserRecord): Promise<void> {
  await services.store.users.update({ ...user, updatedAt: services.clock.now() });
}
