import { randomInt } from 'node:crypto';
import type { PasswordPolicyType } from '../generated/cognito-idp/shapes.js';
import { DEFAULT_PASSWORD_POLICY } from '../domain/password-policy.js';
import { randomString } from '../lib/ids.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** Cognito symbols that survive email and SMS templates unharmed (no space, quote or backslash). */
const SYMBOLS = '^$*.[]{}()?!@#%&/,><:;|_~=+-';

/** Long enough to be unguessable even where the policy's minimum is short. */
const GENERATED_LENGTH = 12;

/**
 * A temporary password Cognito would generate for AdminCreateUser without `TemporaryPassword`:
 * random, at least the policy's minimum length, and holding every character class whatever the
 * policy asks, so it satisfies any policy.
 */
export function generateTemporaryPassword(policy: PasswordPolicyType | undefined): string {
  const length = Math.max(policy?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength, GENERATED_LENGTH);
  const chars = [randomString(1, UPPER), randomString(1, LOWER), randomString(1, DIGITS), randomString(1, SYMBOLS)];
  chars.push(...randomString(length - chars.length, UPPER + LOWER + DIGITS + SYMBOLS));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
