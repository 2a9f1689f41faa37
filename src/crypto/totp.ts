import { Secret, TOTP } from 'otpauth';
import { constantTimeEqual } from './compare.js';

/** Cognito's TOTP: RFC 6238 with HMAC-SHA1, six digits, 30-second steps. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** Steps accepted either side of the current one, for clock skew between the phone and the server. */
const SKEW_STEPS = 1;
/** Secret size in bytes: 32 bytes is 52 base32 characters, the length of Cognito's SecretCode. */
const SECRET_BYTES = 32;

/** A new random shared secret, base32 without padding, as AssociateSoftwareToken returns it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totpOf(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS });
}

/** The 30-second step that `now` (epoch milliseconds) falls in. */
export function totpStep(now: number): number {
  return Math.floor(now / 1000 / PERIOD_SECONDS);
}

/** The code of one step (for tests and known-answer vectors). */
export function totpCode(secret: string, step: number): string {
  return totpOf(secret).generate({ timestamp: step * PERIOD_SECONDS * 1000 });
}

/**
 * The step whose code `code` is, among the current step and one either side (RFC 6238 §5.2's
 * skew), or undefined. Every candidate is compared in constant time, and all of them always are,
 * so the answer's timing does not tell which step matched.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6238#section-5.2
 */
export function matchTotp(secret: string, code: string, now: number): number | undefined {
  const totp = totpOf(secret);
  const current = totpStep(now);
  let matched: number | undefined;
  for (let step = current - SKEW_STEPS; step <= current + SKEW_STEPS; step++) {
    const expected = totp.generate({ timestamp: step * PERIOD_SECONDS * 1000 });
    if (constantTimeEqual(expected, code) && matched === undefined) matched = step;
  }
  return matched;
}
