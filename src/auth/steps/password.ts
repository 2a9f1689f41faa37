import { NotAuthorizedException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import type { AuthContext } from '../types.js';
import { decoyHash, verifyPassword } from '../../crypto/password-hash.js';
import { assertNotLockedOut, clearFailedPasswords, recordFailedPassword } from './lockout.js';

export function incorrectCredentials(): NotAuthorizedException {
  return new NotAuthorizedException('Incorrect username or password.');
}

/**
 * Spends the time of one password verification on nothing, so that a sign-in naming no user takes
 * as long as one with a wrong password.
 */
export async function spendDecoyVerification(password: string): Promise<void> {
  await verifyPassword(await decoyHash(), password);
}

/**
 * Verifies the user's password under the lockout rules: a locked-out user is refused before any
 * hashing, a wrong password counts a failure, a right one clears the count.
 */
export async function checkUserPassword(ctx: AuthContext, user: UserRecord, password: string): Promise<void> {
  const { services, pool } = ctx;
  const hadFailures = await assertNotLockedOut(services, pool, user);
  let ok = false;
  if (user.passwordHash) ok = await verifyPassword(user.passwordHash, password);
  else await spendDecoyVerification(password);
  if (!ok) {
    await recordFailedPassword(ctx, user);
    throw incorrectCredentials();
  }
  if (hadFailures) await clearFailedPasswords(services, pool, user);
}
