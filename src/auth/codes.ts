import type { CodeDeliveryDetailsType, DeliveryMediumType } from '../generated/cognito-idp/shapes.js';
import {
  CodeDeliveryFailureException,
  CodeMismatchException,
  ExpiredCodeException,
  LimitExceededException,
} from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { CodePurpose, UserPoolRecord, UserRecord } from '../store/ports.js';
import { newNumericCode, newUuid } from '../lib/ids.js';
import { constantTimeEqual, sha256Hex } from '../crypto/compare.js';
import { maskDestination } from '../messaging/delivery.js';
import type { MessageSource } from '../messaging/templates.js';
import { sendMessage } from '../messaging/send.js';
import { CLIENT_ID_NOT_APPLICABLE } from '../triggers/fire.js';
import type { MessageOrigin } from '../triggers/events/custom-message.js';
import { decoyIdentity } from './steps/decoy.js';

const HOUR = 3_600_000;

/** How long each kind of code is good for (Cognito: sign-up and verification 24 h, reset 1 h, MFA the 3 minutes of its session). */
export function codeLifetime(purpose: CodePurpose): number {
  if (purpose === 'mfa') return 3 * 60_000;
  return purpose === 'forgot-password' ? HOUR : 24 * HOUR;
}

/** Codes a user may be sent per hour for one purpose (Cognito's ResendConfirmationCode quota is 5). */
export const CODES_PER_HOUR = 5;
/** Wrong guesses allowed against one code before it is burnt. */
export const ATTEMPTS_PER_CODE = 5;

const ATTEMPT_LIMIT_MESSAGE = 'Attempt limit exceeded, please try after some time.';

/** Where a code goes: the attribute, its medium and value. */
export interface CodeDestination {
  attribute: 'email' | 'phone_number';
  medium: DeliveryMediumType;
  destination: string;
}

export function destinationFor(user: UserRecord, attribute: 'email' | 'phone_number'): CodeDestination | undefined {
  const value = user.attributes[attribute];
  if (!value) return undefined;
  return { attribute, medium: attribute === 'email' ? 'EMAIL' : 'SMS', destination: value };
}

/** CodeDeliveryDetails as Cognito returns them: masked destination, medium and attribute. */
export function deliveryDetails(to: CodeDestination): CodeDeliveryDetailsType {
  return {
    Destination: maskDestination(to.medium === 'SMS' ? 'SMS' : 'EMAIL', to.destination),
    DeliveryMedium: to.medium,
    AttributeName: to.attribute,
  };
}

function hashCode(id: string, code: string): string {
  return sha256Hex(`${id}:${code}`);
}

/**
 * Counts a send against the hourly quota of the holder and purpose (in the database, so every
 * node shares it), then stores a new code's hash in place of any earlier one; returns the code and
 * when it expires.
 */
async function storeNewCode(
  services: Services,
  pool: UserPoolRecord,
  holderKey: string,
  purpose: CodePurpose,
  lifetimeMs: number = codeLifetime(purpose),
): Promise<{ id: string; code: string; expiresAt: number }> {
  const now = services.clock.now();
  const sent = await services.store.rateCounters.hit(`code:${pool.id}:${holderKey}:${purpose}`, HOUR, now);
  if (sent > CODES_PER_HOUR) throw new LimitExceededException(ATTEMPT_LIMIT_MESSAGE);
  const code = newNumericCode();
  const id = newUuid();
  const expiresAt = now + lifetimeMs;
  await services.store.codes.put({
    id,
    poolId: pool.id,
    usernameKey: holderKey,
    purpose,
    codeHash: hashCode(id, code),
    expiresAt,
    attempts: 0,
    createdAt: now,
  });
  return { id, code, expiresAt };
}

/**
 * Creates a code for the user, stores its hash (replacing any earlier code of the purpose),
 * sends it in the message `source` calls for (src/messaging/send.ts: custom sender, custom message
 * trigger, delivery) and returns the CodeDeliveryDetails. At most CODES_PER_HOUR per user and
 * purpose. `origin` is the app client and ClientMetadata the triggers receive; `lifetimeMs`
 * replaces the purpose's lifetime (a sign-in code lives as long as its session). A code that could
 * not be delivered (CodeDeliveryFailureException) is deleted, so no code works that nobody received.
 */
export async function sendCode(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  source: Exclude<MessageSource, 'AdminCreateUser'>,
  to: CodeDestination,
  origin: MessageOrigin = { clientId: CLIENT_ID_NOT_APPLICABLE },
  lifetimeMs?: number,
): Promise<CodeDeliveryDetailsType> {
  const { id, code, expiresAt } = await storeNewCode(services, pool, user.usernameKey, purpose, lifetimeMs);
  const medium = to.medium === 'SMS' ? 'SMS' : 'EMAIL';
  try {
    await sendMessage(services, pool, user, {
      source,
      medium,
      destination: to.destination,
      purpose,
      code,
      username: user.username,
      expiresAt,
      origin,
    });
  } catch (error) {
    if (error instanceof CodeDeliveryFailureException) await services.store.codes.delete(id);
    throw error;
  }
  return deliveryDetails(to);
}

/**
 * Who holds the codes of a name that gets no real code while user-existence errors are hidden
 * (no such user, a disabled one, nowhere to send): the name's decoy `sub`, which no user's
 * username can be.
 */
export async function decoyCodeHolder(services: Services, pool: UserPoolRecord, typed: string): Promise<{ usernameKey: string }> {
  return { usernameKey: (await decoyIdentity(services, pool, typed)).sub };
}

/**
 * Stands in for {@link sendCode} where user existence is hidden and no code may go out: a code
 * nobody receives is stored for the name, under the same hourly quota, so that its sends and
 * later guesses ({@link consumeCode} on {@link decoyCodeHolder}) meet the same answers as a
 * user's. Returns the simulated `details`.
 */
export async function sendDecoyCode(
  services: Services,
  pool: UserPoolRecord,
  typed: string,
  purpose: CodePurpose,
  details: CodeDeliveryDetailsType,
  lifetimeMs?: number,
): Promise<CodeDeliveryDetailsType> {
  await storeNewCode(services, pool, (await decoyCodeHolder(services, pool, typed)).usernameKey, purpose, lifetimeMs);
  return details;
}

/**
 * Checks a code and consumes it on success (single use). Each guess is counted against the code
 * before it is compared, in one statement of the store, so that racing guesses cannot exceed
 * `limit` (ATTEMPTS_PER_CODE); past it the code is burnt and LimitExceededException answers until a
 * new code is sent. Of racing right
 * guesses, the one that deletes the code wins; the others find it gone.
 */
export async function consumeCode(
  services: Services,
  pool: UserPoolRecord,
  holder: Pick<UserRecord, 'usernameKey'>,
  purpose: CodePurpose,
  code: string,
  limit: number = ATTEMPTS_PER_CODE,
): Promise<void> {
  const stored = await services.store.codes.get(pool.id, holder.usernameKey, purpose);
  if (!stored) throw codeMismatch();
  // A burnt code stays until a new one replaces it, so every later guess gets the same answer.
  if (!(await services.store.codes.reserveAttempt(stored.id, limit))) throw new LimitExceededException(ATTEMPT_LIMIT_MESSAGE);
  if (!constantTimeEqual(stored.codeHash, hashCode(stored.id, code))) throw codeMismatch();
  if (stored.expiresAt <= services.clock.now()) {
    await services.store.codes.delete(stored.id);
    throw new ExpiredCodeException('Invalid code provided, please request a code again.');
  }
  if (!(await services.store.codes.delete(stored.id))) throw codeMismatch();
}

function codeMismatch(): CodeMismatchException {
  return new CodeMismatchException('Invalid verification code provided, please try again.');
}
