import type { GetUserPoolMfaConfigResponse } from '../../../generated/cognito-idp/shapes.js';
import type { UserPoolConfig } from '../../../store/ports.js';
import { smsMfaEnabled } from '../../../domain/mfa.js';

/**
 * The pool's MFA settings as GetUserPoolMfaConfig and SetUserPoolMfaConfig answer them: the mode,
 * and each factor's configuration only while that factor is on (SMS: the pool's SMS configuration
 * and authentication message), plus the passkey settings when any were set.
 */
export function mfaConfigResponse(config: UserPoolConfig): GetUserPoolMfaConfigResponse {
  const mode = config.MfaConfiguration ?? 'OFF';
  const on = mode !== 'OFF';
  const sms = on && smsMfaEnabled(config) && config.SmsConfiguration !== undefined;
  return {
    ...(sms
      ? {
          SmsMfaConfiguration: {
            ...(config.SmsAuthenticationMessage !== undefined ? { SmsAuthenticationMessage: config.SmsAuthenticationMessage } : {}),
            SmsConfiguration: config.SmsConfiguration,
          },
        }
      : {}),
    ...(on && config.SoftwareTokenMfaConfiguration !== undefined
      ? { SoftwareTokenMfaConfiguration: config.SoftwareTokenMfaConfiguration }
      : {}),
    ...(on && config.EmailMfaConfiguration !== undefined ? { EmailMfaConfiguration: config.EmailMfaConfiguration } : {}),
    MfaConfiguration: mode,
    ...(config.WebAuthnConfiguration !== undefined ? { WebAuthnConfiguration: config.WebAuthnConfiguration } : {}),
  };
}
