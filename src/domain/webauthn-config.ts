import type { WebAuthnConfigurationType } from '../generated/cognito-idp/shapes.js';
import type { UserPoolConfig } from '../store/ports.js';

/*
 * A pool's passkey settings (WebAuthnConfiguration of SetUserPoolMfaConfig and
 * GetUserPoolMfaConfig), kept in the pool record beside the rest of its configuration. This is
 * the one reader and writer of them: the WebAuthn operations and USER_AUTH read them here, and
 * SetUserPoolMfaConfig writes them through `withWebAuthnConfiguration`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_WebAuthnConfigurationType.html
 */

/** The settings of a pool that never set them, as GetUserPoolMfaConfig reports them. */
export const DEFAULT_WEBAUTHN_CONFIGURATION: Readonly<Required<Omit<WebAuthnConfigurationType, 'RelyingPartyId'>>> = Object.freeze({
  UserVerification: 'preferred',
  FactorConfiguration: 'SINGLE_FACTOR',
});

/** The pool's passkey settings, defaults filled in; `RelyingPartyId` only when one was set. */
export function webAuthnConfiguration(config: UserPoolConfig): WebAuthnConfigurationType {
  return { ...DEFAULT_WEBAUTHN_CONFIGURATION, ...config.WebAuthnConfiguration };
}

/**
 * The pool configuration with new passkey settings: a member left out keeps its default (an
 * absent RelyingPartyId goes back to the pool's domain), as SetUserPoolMfaConfig replaces the
 * whole structure.
 */
export function withWebAuthnConfiguration(config: UserPoolConfig, given: WebAuthnConfigurationType): UserPoolConfig {
  const settings: WebAuthnConfigurationType = {
    ...(given.RelyingPartyId !== undefined ? { RelyingPartyId: given.RelyingPartyId.toLowerCase() } : {}),
    UserVerification: given.UserVerification ?? DEFAULT_WEBAUTHN_CONFIGURATION.UserVerification,
    FactorConfiguration: given.FactorConfiguration ?? DEFAULT_WEBAUTHN_CONFIGURATION.FactorConfiguration,
  };
  return { ...config, WebAuthnConfiguration: settings };
}
