import { InvalidLambdaResponseException } from '../../generated/cognito-idp/errors.js';
import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';

/** Where the migration was asked for: a sign-in with a password, or ForgotPassword. */
export type UserMigrationSource = 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';

/** What a user migration event carries about the request. */
export interface UserMigrationCall {
  readonly triggerSource: UserMigrationSource;
  readonly clientId: string;
  /** The name as the user typed it (a username, or an email or phone number). */
  readonly userName: string;
  /** The typed password; a ForgotPassword request has none. */
  readonly password?: string;
  /** A sign-in's ClientMetadata, which Cognito passes as `validationData`. */
  readonly validationData?: Record<string, string> | undefined;
  /** ForgotPassword's ClientMetadata. */
  readonly clientMetadata?: Record<string, string> | undefined;
}

/** The handler's answer, checked: the user to create. */
export interface MigratedUser {
  readonly userAttributes: Record<string, string>;
  readonly finalUserStatus: 'CONFIRMED' | 'RESET_REQUIRED' | undefined;
  readonly messageAction: 'SUPPRESS' | 'RESEND' | undefined;
  readonly desiredDeliveryMediums: readonly ('SMS' | 'EMAIL')[] | undefined;
  readonly forceAliasCreation: boolean;
  readonly enableSMSMFA: boolean;
}

/** The response as the handler receives it: every field it may set, null until it sets it (as in AWS's events). */
const EMPTY_RESPONSE = {
  userAttributes: null,
  finalUserStatus: null,
  messageAction: null,
  desiredDeliveryMediums: null,
  forceAliasCreation: null,
  enableSMSMFA: null,
} as const;

const FIELDS: ReadonlySet<string> = new Set(Object.keys(EMPTY_RESPONSE));

function invalid(reason: string): InvalidLambdaResponseException {
  return new InvalidLambdaResponseException('Unrecognizable lambda output', { cause: reason });
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`${field} must be one of ${allowed.join(', ')}`);
}

function flag(value: unknown, field: string): boolean {
  if (isAbsent(value)) return false;
  if (typeof value !== 'boolean') throw invalid(`${field} must be a boolean`);
  return value;
}

/**
 * Checks a migration handler's response: `userAttributes` is required (a map of strings, at least
 * one), `finalUserStatus` CONFIRMED or RESET_REQUIRED, `messageAction` SUPPRESS (or RESEND),
 * `desiredDeliveryMediums` of SMS and EMAIL, the two flags booleans; any other field is not the
 * trigger's to set. Every breach is InvalidLambdaResponseException.
 */
export function checkMigrationResponse(response: Record<string, unknown>): MigratedUser {
  const extra = Object.keys(response).find((key) => !FIELDS.has(key));
  if (extra !== undefined) throw invalid(`response.${extra} is not a field of the user migration response`);
  const attributes = response['userAttributes'];
  if (isAbsent(attributes) || typeof attributes !== 'object' || Array.isArray(attributes)) throw invalid('userAttributes is required');
  const entries = Object.entries(attributes);
  if (entries.length === 0) throw invalid('userAttributes is empty');
  if (entries.some(([, value]) => typeof value !== 'string')) throw invalid('userAttributes values must be strings');
  const mediums = response['desiredDeliveryMediums'];
  if (!isAbsent(mediums) && (!Array.isArray(mediums) || mediums.some((m) => m !== 'SMS' && m !== 'EMAIL'))) {
    throw invalid('desiredDeliveryMediums must list SMS and EMAIL');
  }
  return {
    userAttributes: Object.fromEntries(entries) as Record<string, string>,
    finalUserStatus: oneOf(response['finalUserStatus'], ['CONFIRMED', 'RESET_REQUIRED'] as const, 'finalUserStatus'),
    messageAction: oneOf(response['messageAction'], ['SUPPRESS', 'RESEND'] as const, 'messageAction'),
    desiredDeliveryMediums: isAbsent(mediums) ? undefined : (mediums as ('SMS' | 'EMAIL')[]),
    forceAliasCreation: flag(response['forceAliasCreation'], 'forceAliasCreation'),
    enableSMSMFA: flag(response['enableSMSMFA'], 'enableSMSMFA'),
  };
}

/**
 * Runs the pool's user migration trigger for a name that matches no user, and returns the user it
 * describes, or undefined when the pool has no such trigger. A handler that throws (the legacy
 * directory does not know the user, or the password is wrong) throws UserLambdaValidationException,
 * which the caller turns into its unknown-user answer.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
 */
export async function fireUserMigration(
  services: Services,
  pool: UserPoolRecord,
  call: UserMigrationCall,
): Promise<MigratedUser | undefined> {
  const response = await fireTrigger(services, pool, {
    trigger: 'UserMigration',
    triggerSource: call.triggerSource,
    userName: call.userName,
    clientId: call.clientId,
    request: {
      ...(call.password !== undefined ? { password: call.password } : {}),
      ...(call.validationData !== undefined ? { validationData: call.validationData } : {}),
      ...(call.clientMetadata !== undefined ? { clientMetadata: call.clientMetadata } : {}),
    },
    response: { ...EMPTY_RESPONSE },
  });
  return response === undefined ? undefined : checkMigrationResponse(response);
}
