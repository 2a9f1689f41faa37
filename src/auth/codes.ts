import type { CodeDeliveryDetailsType, DeliveryMediumType } from '../generated/cognito-idp/shapes.js';
import { CodeMismatchException, ExpiredCodeException, LimitExceededException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { CodePurpose, UserPoolRecord, UserRecord } from '../store/ports.js';
import { newNumericCode, newUuid } from '../lib/ids.js';
import { constantTimeEqual, sha256Hex } from '../crypto/compare.js';
import { maskDestination } from '../messaging/delivery.js';

const HOUR = 3_600_000;

/** How long each kind of code is good for (Cognito: sign-up and verification 24 h, reset 1 h). */
export function codeLifetime(purpose: CodePurpose): number {
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

/** The pool's message for a code, with `{####}` replaced (VerificationMessageTemplate or the legacy fields). */
function renderMessage(
  pool: UserPoolRecord,
  medium: DeliveryMediumType,
  code: string,
  username: string,
): { subject: string | null; message: string } {
  const c = pool.config;
  const t = c.VerificationMessageTemplate ?? {};
  const fill = (text: string): string => text.replaceAll('{####}', code).replaceAll('{username}', username);
  if (medium === 'SMS')
    return { subject: null, message: fill(t.SmsMessage ?? c.SmsVerificationMessage ?? 'Your verification code is {####}. ') };
  return {
    subject: fill(t.EmailSubject ?? c.EmailVerificationSubject ?? 'Your verification code'),
    message: fill(t.EmailMessage ?? c.EmailVerificationMessage ?? 'Your verification code is {####}. '),
  };
}

/**
 * Creates a code for the user, stores its hash (replacing any earlier code of the purpose),
 * delivers it and returns the CodeDeliveryDetails. At most CODES_PER_HOUR per user and purpose,
 * counted in the database so every node shares the limit.
 */
export async function sendCode(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  to: CodeDestination,
): Promise<CodeDeliveryDetailsType> {
  const now = services.clock.now();
  const sent = await services.store.rateCounters.hit(`code:${pool.id}:${user.usernameKey}:${purpose}`, HOUR, now);
  if (sent > CODES_PER_HOUR) throw new LimitExceededException(ATTEMPT_LIMIT_MESSAGE);
  const code = newNumericCode();
  const id = newUuid();
  const expiresAt = now + codeLifetime(purpose);
  await services.store.codes.put({
    id,
    poolId: pool.id,
    usernameKey: user.usernameKey,
    purpose,
    codeHash: hashCode(id, code),
    expiresAt,
    attempts: 0,
    createdAt: now,
  });
  const { subject, message } = renderMessage(pool, to.medium, code, user.username);
  await services.delivery.deliver({
    poolId: pool.id,
    username: user.username,
    medium: to.medium === 'SMS' ? 'SMS' : 'EMAIL',
    destination: to.destination,
    purpose,
    code,
    subject,
    message,
    expiresAt,
  });
  return deliveryDetails(to);
}

/**
 * Checks a code and consumes it on success (single use). Wrong codes count against the code; after
 * ATTEMPTS_PER_CODE the code is burnt and LimitExceededException answers.
 */
export async function consumeCode(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  code: string,
): Promise<void> {
  const stored = await services.store.codes.get(pool.id, user.usernameKey, purpose);
  if (!stored) throw new CodeMismatchException('Invalid verification code provided, please try again.');
  if (stored.attempts >= ATTEMPTS_PER_CODE) {
    await services.store.codes.delete(stored.id);
    throw new LimitExceededException(ATTEMPT_LIMIT_MESSAGE);
  }
  if (!constantTimeEqual(stored.codeHash, hashCode(stored.id, code))) {
    await services.store.codes.recordAttempt(stored.id);
    throw new CodeMismatchException('Invalid verification code provided, please try again.');
  }
  if (stored.expiresAt <= services.clock.now()) {
    await services.store.codes.delete(stored.id);
    throw new ExpiredCodeException('Invalid code provided, please request a code again.');
  }
  await services.store.codes.delete(stored.id);
}
