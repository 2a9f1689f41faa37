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
import { emailOtpChallenge, smsOtpChallenge } from './otp-first-factor.js';
import { webAuthnChallenge } from './web-authn.js';

/**
 * The implemented challenges; each new one (the MFA challenges) is one more handler here.
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
  emailOtpChallenge,
  smsOtpChallenge,
  webAuthnChallenge,
];

const BY_NAME: ReadonlyMap<ChallengeNameType, ChallengeHandler> = new Map(HANDLERS.map((h) => [h.name, h] as const));

export function challengeHandler(name: ChallengeNameType): ChallengeHandler | undefined {
  return BY_NAME.get(name);
}
