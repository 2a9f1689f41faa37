import type { ChallengeNameType } from '../../generated/cognito-idp/shapes.js';
import type { ChallengeHandler } from './types.js';
import { newPasswordRequired } from './new-password-required.js';

/**
 * The implemented challenges. PASSWORD_VERIFIER, DEVICE_SRP_AUTH, the MFA challenges and
 * CUSTOM_CHALLENGE are each one more handler here.
 */
const HANDLERS: readonly ChallengeHandler[] = [newPasswordRequired];

const BY_NAME: ReadonlyMap<ChallengeNameType, ChallengeHandler> = new Map(HANDLERS.map((h) => [h.name, h] as const));

export function challengeHandler(name: ChallengeNameType): ChallengeHandler | undefined {
  return BY_NAME.get(name);
}
