import type { AnyOperation } from '../../define-operation.js';
import { getUserPoolMfaConfig } from './get-user-pool-mfa-config.js';
import { setUserPoolMfaConfig } from './set-user-pool-mfa-config.js';
import { associateSoftwareToken } from './associate-software-token.js';
import { verifySoftwareToken } from './verify-software-token.js';
import { setUserMfaPreference } from './set-user-mfa-preference.js';
import { adminSetUserMfaPreference } from './admin-set-user-mfa-preference.js';
import { setUserSettings } from './set-user-settings.js';
import { adminSetUserSettings } from './admin-set-user-settings.js';

/** The MFA operations, one module each: the pool's MFA configuration, TOTP enrolment, user preferences. */
export const mfaOperations: readonly AnyOperation[] = [
  getUserPoolMfaConfig,
  setUserPoolMfaConfig,
  associateSoftwareToken,
  verifySoftwareToken,
  setUserMfaPreference,
  adminSetUserMfaPreference,
  setUserSettings,
  adminSetUserSettings,
];
