import { InvalidLambdaResponseException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import { triggerUserAttributes } from './user-attributes.js';

/*
 * What the three custom-authentication triggers (define, create, verify auth challenge) share: the
 * challenge history they read, the user's attributes as their events show them, and the checks of
 * what a handler answered.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
 */

/**
 * One round of a custom sign-in, as the `session` array of the events shows it: the challenge, its
 * result, and the `challengeMetadata` the create trigger gave a CUSTOM_CHALLENGE (null otherwise).
 */
export interface ChallengeResult {
  readonly challengeName: 'CUSTOM_CHALLENGE' | 'SRP_A' | 'PASSWORD_VERIFIER';
  readonly challengeResult: boolean;
  readonly challengeMetadata: string | null;
}

/** Who a custom sign-in is for: a user, or (while user-existence errors are hidden) a name that matches none. */
export interface ChallengeSubject {
  /** The event's `userName`: the internal username, or the name typed when no user matches. */
  readonly userName: string;
  readonly user: UserRecord | undefined;
  /** `userNotFound` is sent only when the app client hides user-existence errors. */
  readonly hidesUserExistence: boolean;
}

/** The request fields every challenge trigger carries: `userAttributes`, then `clientMetadata` and `userNotFound` when they apply. */
export function challengeRequestBase(
  subject: ChallengeSubject,
  clientMetadata: Record<string, string> | undefined,
): { userAttributes: Record<string, string>; clientMetadata?: Record<string, string>; userNotFound?: boolean } {
  const user = subject.user;
  // Cognito shows the user's status among the attributes of sign-in events; a missing user has none.
  const userAttributes = user ? triggerUserAttributes(user) : {};
  return {
    userAttributes,
    ...(clientMetadata !== undefined ? { clientMetadata } : {}),
    ...(subject.hidesUserExistence ? { userNotFound: user === undefined } : {}),
  };
}

function invalid(trigger: string, detail: string): InvalidLambdaResponseException {
  return new InvalidLambdaResponseException('Unrecognizable lambda output', { cause: `${trigger}: ${detail}` });
}

/** Refuses a response that sets a field the trigger may not set. */
export function assertOnlyFields(trigger: string, response: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(response).find((key) => !allowed.includes(key));
  if (extra !== undefined) throw invalid(trigger, `response.${extra} is not a field of this trigger`);
}

/** A boolean response field; null or absent is false. */
export function booleanField(trigger: string, response: Record<string, unknown>, name: string): boolean {
  const value = response[name];
  if (value === null || value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(trigger, `response.${name} is not a boolean`);
  return value;
}

/** A string response field; null or absent is undefined. */
export function stringField(trigger: string, response: Record<string, unknown>, name: string): string | undefined {
  const value = response[name];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(trigger, `response.${name} is not a string`);
  return value;
}

/**
 * A map of strings (`publicChallengeParameters`, `privateChallengeParameters`); null or absent is
 * empty. Numbers and booleans become their text, as a JSON-to-string-map reader takes them; a
 * nested object or array is refused.
 */
export function stringMapField(trigger: string, response: Record<string, unknown>, name: string): Record<string, string> {
  const value = response[name];
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(trigger, `response.${name} is not a map`);
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry === null || entry === undefined) continue;
    if (typeof entry === 'string') map[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') map[key] = String(entry);
    else throw invalid(trigger, `response.${name}.${key} is not a string`);
  }
  return map;
}
