import { NotAuthorizedException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import type { AuthContext } from '../types.js';
import { decoyHash, verifyPassword } from '../../crypto/password-hash.js';
import { attemptFailed, attemptSucceeded, reserveAttempt } from './lockout.js';
import { assertNotAwaitingFirstPassword } from './user-status.js';

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
 * Verifies the user's password under the lockout rules (a user due a reset who has no password at
 * all is told so first): the attempt is reserved first (a
 * locked-out user is refused before any hashing), a wrong password keeps it counted, a right one
 * gives it back with the failures before it.
 */
export async function checkUserPassword(ctx: AuthContext, user: UserRecord, password: string): Promise<void> {
  const { services, pool } = ctx;
  assertNotAwaitingFirstPassword(user);
  const attempt = await reserveAttempt(services, pool, user);
  let ok = false;
  if (user.passwordHash) ok = await verifyPassword(user.passwordHash, password);
  else await spendDecoyVerification(password);
  if (!ok) {
    await attemptFailed(ctx, user, attempt);
    throw incorrectCredentials();
  }
  await attemptSucceeded(services, attempt);
}
