import type { UserPoolConfig, UserRecord } from '../store/ports.js';

/** A user's MFA factors, by the names Cognito gives them in UserMFASettingList and challenges. */
export type MfaFactor = 'SMS_MFA' | 'EMAIL_OTP' | 'SOFTWARE_TOKEN_MFA';

/** The order in which Cognito lists a user's factors (UserMFASettingList) and offers them (MFAS_CAN_CHOOSE). */
export const MFA_FACTOR_ORDER: readonly MfaFactor[] = ['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA'];

function isFactor(value: string): value is MfaFactor {
  return (MFA_FACTOR_ORDER as readonly string[]).includes(value);
}

/** A user's MFA settings as one reader sees them: the factors turned on, in Cognito's order, and the preferred one. */
export interface UserMfaSettings {
  readonly enabled: readonly MfaFactor[];
  readonly preferred: MfaFactor | undefined;
}

/**
 * The one reader of a user's MFA settings (`extra.mfa`). Besides the `enabled` list, it honours the
 * flags older writers left (`smsEnabled` from the user migration trigger's `enableSMSMFA`,
 * `totpEnabled`, `emailEnabled`), so every record reads the same through GetUser, AdminGetUser,
 * the auth factor operations and sign-in.
 */
export function userMfaSettings(user: UserRecord): UserMfaSettings {
  const mfa = user.extra.mfa;
  if (!mfa) return { enabled: [], preferred: undefined };
  const on = new Set<string>(mfa.enabled ?? []);
  if (mfa.smsEnabled) on.add('SMS_MFA');
  if (mfa.totpEnabled) on.add('SOFTWARE_TOKEN_MFA');
  if (mfa.emailEnabled) on.add('EMAIL_OTP');
  const enabled = MFA_FACTOR_ORDER.filter((factor) => on.has(factor));
  const preferred = mfa.preferred !== undefined && isFactor(mfa.preferred) && on.has(mfa.preferred) ? mfa.preferred : undefined;
  return { enabled, preferred };
}

/**
 * The user with new MFA settings, written in the one shape the reader reads (`enabled` and
 * `preferred`; the older flags are folded in and dropped). The TOTP secret is kept.
 */
export function withMfaSettings(user: UserRecord, settings: UserMfaSettings): UserRecord {
  const { smsEnabled: _s, totpEnabled: _t, emailEnabled: _e, enabled: _l, preferred: _p, ...rest } = user.extra.mfa ?? {};
  const mfa = {
    ...rest,
    ...(settings.enabled.length > 0 ? { enabled: MFA_FACTOR_ORDER.filter((f) => settings.enabled.includes(f)) } : {}),
    ...(settings.preferred !== undefined ? { preferred: settings.preferred } : {}),
  };
  return { ...user, extra: { ...user.extra, mfa } };
}

/**
 * The MFA factors a pool has turned on with SetUserPoolMfaConfig (or CreateUserPool's SMS
 * configuration): none while MfaConfiguration is OFF.
 */
export function poolMfaFactors(config: UserPoolConfig): readonly MfaFactor[] {
  if ((config.MfaConfiguration ?? 'OFF') === 'OFF') return [];
  const factors: MfaFactor[] = [];
  if (smsMfaEnabled(config)) factors.push('SMS_MFA');
  if (config.EmailMfaConfiguration !== undefined) factors.push('EMAIL_OTP');
  if (config.SoftwareTokenMfaConfiguration?.Enabled === true) factors.push('SOFTWARE_TOKEN_MFA');
  return factors;
}

/**
 * Whether the user can answer a factor now: TOTP needs a registered authenticator, SMS a
 * `phone_number` and email an `email` attribute (Cognito sends MFA codes to unverified ones too).
 */
export function canAnswerMfa(user: UserRecord, factor: MfaFactor): boolean {
  if (factor === 'SOFTWARE_TOKEN_MFA') return user.extra.mfa?.totpSecret !== undefined;
  return Boolean(user.attributes[factor === 'SMS_MFA' ? 'phone_number' : 'email']);
}

/**
 * The pool's factors the user could answer, turned on or not: what adaptive authentication's
 * MFA_IF_CONFIGURED and MFA_REQUIRED call MFA being possible for the user ("users must have an email
 * address or phone number attribute, or a registered TOTP factor", for factors the pool offers).
 */
export function possibleMfaFactors(config: UserPoolConfig, user: UserRecord): readonly MfaFactor[] {
  return poolMfaFactors(config).filter((factor) => canAnswerMfa(user, factor));
}

/**
 * Whether SMS MFA is on: as SetUserPoolMfaConfig last said, or, for a pool that never called it,
 * whenever the pool has an SMS configuration (CreateUserPool with MFA ON or OPTIONAL requires one).
 */
export function smsMfaEnabled(config: UserPoolConfig): boolean {
  return config.SmsMfaEnabled ?? config.SmsConfiguration !== undefined;
}
