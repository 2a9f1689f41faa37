import type { ChallengeNameType } from '../../generated/cognito-idp/shapes.js';
import type { ChallengeHandler } from './types.js';
import { newPasswordRequired } from './new-password-required.js';
import { selectChallenge } from './select-challenge.js';
import { passwordChallenge } from './password.js';
import { passwordSrpChallenge } from './password-srp.js';
import { passwordVerifier } from './password-verifier.js';
import { deviceSrpAuth } from './device-srp-auth.js';
import { devicePasswordVerifier } from './device-password-verifier.js';
import { customChallenge } from './custom-challenge.js';
import { smsOtpChallenge } from './otp-first-factor.js';
import { webAuthnChallenge } from './web-authn.js';
import { softwareTokenMfa } from './software-token-mfa.js';
import { smsMfa } from './code-mfa.js';
import { emailOtp } from './email-otp.js';
import { selectMfaType } from './select-mfa-type.js';
import { mfaSetup } from './mfa-setup.js';

/**
 * The implemented challenges; each new one is one more handler here.
 */
const HANDLERS: readonly ChallengeHandler[] = [
  newPasswordRequired,
  selectChallenge,
  passwordChallenge,
  passwordSrpChallenge,
  passwordVerifier,
  deviceSrpAuth,
  devicePasswordVerifier,
  customChallenge,
  // EMAIL_OTP is both a first factor and an MFA challenge; one handler tells them apart.
  emailOtp,
  smsOtpChallenge,
  webAuthnChallenge,
  softwareTokenMfa,
  smsMfa,
  selectMfaType,
  mfaSetup,
];

const BY_NAME: ReadonlyMap<ChallengeNameType, ChallengeHandler> = new Map(HANDLERS.map((h) => [h.name, h] as const));

export function challengeHandler(name: ChallengeNameType): ChallengeHandler | undefined {
  return BY_NAME.get(name);
}
