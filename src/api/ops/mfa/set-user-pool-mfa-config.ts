import { FeatureUnavailableInTierException, InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { SetUserPoolMfaConfigRequest } from '../../../generated/cognito-idp/shapes.js';
import type { UserPoolConfig } from '../../../store/ports.js';
import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { mfaConfigResponse } from './mfa-config-shape.js';

/*
 * Error texts measured against AWS by others (aws-sdk-js#4186, sst#5177, terraform-aws-cognito-user-pool#74,
 * cdkd#1923): turning MFA ON or OPTIONAL with no factor, and configuring a factor while turning MFA OFF.
 */
const NO_FACTOR = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";
const OFF_WITH_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.";

/**
 * The pool's configuration after SetUserPoolMfaConfig. The request says the whole MFA set-up: a
 * factor it leaves out is turned off (which is why a request with only `MfaConfiguration: ON`
 * fails on AWS), and `MfaConfiguration` left out keeps the pool's mode. SMS MFA takes the request's
 * SmsConfiguration, or the pool's; email MFA needs the pool to send email through SES as the
 * developer (EmailSendingAccount DEVELOPER) and a tier above LITE.
 */
function mfaConfig(current: UserPoolConfig, input: SetUserPoolMfaConfigRequest): UserPoolConfig {
  const mode = input.MfaConfiguration ?? current.MfaConfiguration ?? 'OFF';
  const totp = input.SoftwareTokenMfaConfiguration?.Enabled === true;
  const sms = input.SmsMfaConfiguration !== undefined;
  const email = input.EmailMfaConfiguration !== undefined;
  if (mode === 'OFF' && (totp || sms || email)) throw new InvalidParameterException(OFF_WITH_FACTOR);
  if (mode !== 'OFF' && !totp && !sms && !email) throw new InvalidParameterException(NO_FACTOR);

  const smsConfiguration = input.SmsMfaConfiguration?.SmsConfiguration ?? current.SmsConfiguration;
  // Best-guess wording: AWS needs somewhere to send SMS from before SMS MFA can be on.
  if (sms && smsConfiguration === undefined) throw new InvalidParameterException('SMS configuration is required to turn on SMS MFA.');
  if (email) {
    if ((current.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
      throw new FeatureUnavailableInTierException(
        'The following features need to be disabled for the LITE pricing tier configured: Email MFA',
      );
    }
    // Best-guess wording; AWS's console and CDK both require the developer's SES configuration.
    if (current.EmailConfiguration?.EmailSendingAccount !== 'DEVELOPER') {
      throw new InvalidParameterException('Email MFA requires an email configuration with EmailSendingAccount DEVELOPER.');
    }
  }

  const {
    SoftwareTokenMfaConfiguration: _totp,
    EmailMfaConfiguration: _email,
    SmsMfaEnabled: _sms,
    WebAuthnConfiguration: webAuthn,
    ...rest
  } = current;
  const next: UserPoolConfig = { ...rest, MfaConfiguration: mode, SmsMfaEnabled: sms };
  if (input.SoftwareTokenMfaConfiguration !== undefined) next.SoftwareTokenMfaConfiguration = { Enabled: totp };
  if (input.EmailMfaConfiguration !== undefined) next.EmailMfaConfiguration = input.EmailMfaConfiguration;
  if (sms) {
    next.SmsConfiguration = smsConfiguration;
    const message = input.SmsMfaConfiguration?.SmsAuthenticationMessage;
    if (message !== undefined) next.SmsAuthenticationMessage = message;
  }
  const webAuthnConfiguration = input.WebAuthnConfiguration ?? webAuthn;
  if (webAuthnConfiguration !== undefined) next.WebAuthnConfiguration = webAuthnConfiguration;
  return next;
}

/**
 * SetUserPoolMfaConfig: the pool's MFA mode (OFF, ON, OPTIONAL) and its factors (TOTP, SMS,
 * email), answered as GetUserPoolMfaConfig would answer after it. DescribeUserPool's
 * MfaConfiguration is the same setting.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html
 */
export const setUserPoolMfaConfig = defineOperation('SetUserPoolMfaConfig', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const config = mfaConfig(pool.config, input);
  await services.store.pools.update({ ...pool, config, updatedAt: services.clock.now() });
  return mfaConfigResponse(config);
});
