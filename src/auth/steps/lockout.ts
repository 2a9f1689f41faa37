import { NotAuthorizedException } from '../../generated/cognito-idp/errors.js';
import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { auditSource, type AuthContext } from '../types.js';

/** Wrong passwords allowed before the first lockout. */
export const FREE_FAILURES = 5;
/** The longest lockout ("approximately 15 minutes"). */
const MAX_LOCKOUT_MS = 15 * 60_000;
/** A quiet spell this long after the last failure forgets the failures. */
const IDLE_RESET_MS = 15 * 60_000;

function key(pool: UserPoolRecord, user: UserRecord): string {
  return `signin-failures:${pool.id}:${user.sub}`;
}

/** How long n cumulative failures lock the user out: 2^(n-5) seconds from the fifth, capped. */
export function lockoutMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS);
}

/**
 * Cognito's lockout on wrong passwords: after five failures the user is locked out for one second,
 * doubling with each further failure up to about 15 minutes. Attempts during a lockout answer
 * "Password attempts exceeded" and do not count; a successful sign-in after a lockout, or 15 quiet
 * minutes, starts over. The count lives in the store, so every node shares it.
 *
 * Returns whether the user has failures on record (so a success knows to clear them).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 */
export async function assertNotLockedOut(services: Services, pool: UserPoolRecord, user: UserRecord): Promise<boolean> {
  const state = await services.store.rateCounters.peek(key(pool, user));
  if (!state) return false;
  const now = services.clock.now();
  if (now - state.at >= IDLE_RESET_MS) return true;
  if (now < state.at + lockoutMs(state.count)) throw new NotAuthorizedException('Password attempts exceeded');
  return true;
}

/**
 * Counts a wrong password. A failure that starts a lockout (the fifth and each one after) is
 * recorded in the audit log as `Lockout`, with how long it lasts.
 */
export async function recordFailedPassword(ctx: AuthContext, user: UserRecord): Promise<void> {
  const { services, pool } = ctx;
  const failures = await services.store.rateCounters.hitSliding(key(pool, user), IDLE_RESET_MS, services.clock.now());
  const lockedFor = lockoutMs(failures);
  if (lockedFor === 0) return;
  await services.audit.record({
    event: 'Lockout',
    outcome: 'Fail',
    ...auditSource(ctx),
    username: user.username,
    sub: user.sub,
    detail: { failures: String(failures), lockedForSeconds: String(lockedFor / 1000) },
  });
}

export async function clearFailedPasswords(services: Services, pool: UserPoolRecord, user: UserRecord): Promise<void> {
  await services.store.rateCounters.reset(key(pool, user));
}
