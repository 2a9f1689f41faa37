import { NotAuthorizedException } from '../../generated/cognito-idp/errors.js';
import type { Services } from '../../services.js';
import type { LockoutRule, UserPoolRecord, UserRecord } from '../../store/ports.js';
import { auditSource, type AuthContext } from '../types.js';

/** Wrong passwords allowed before the first lockout. */
export const FREE_FAILURES = 5;
/** The longest lockout ("approximately 15 minutes"). */
const MAX_LOCKOUT_MS = 15 * 60_000;
/** A quiet spell this long after the lockout ends (or the last failure, before any) forgets the failures. */
const IDLE_RESET_MS = 15 * 60_000;
/** Doublings from the first one-second lockout until the cap applies: 2^10 s is past 15 minutes. */
const DOUBLINGS = Math.ceil(Math.log2(MAX_LOCKOUT_MS / 1000));

/** How long n cumulative failures lock the user out: 2^(n-5) seconds from the fifth, capped. */
export function lockoutMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS);
}

/**
 * The rule the store applies: one duration per count, up to the first capped one, which holds
 * beyond. The console's sign-in (src/console/sign-in.ts) locks out by the same rule.
 */
export const SIGN_IN_LOCKOUT: LockoutRule = {
  lockMs: Array.from({ length: FREE_FAILURES + DOUBLINGS + 1 }, (_, n) => lockoutMs(n)),
  idleMs: IDLE_RESET_MS,
};

/**
 * Whose attempts a counter counts: a user by `sub`, and a name that matches no user (while
 * user-existence errors are prevented) by the stable decoy `sub` derived from that name, so that it
 * locks out exactly as a user does.
 */
export interface LockoutSubject {
  readonly sub: string;
}

/** One reserved attempt: what a success gives back. */
export interface ReservedAttempt {
  readonly key: string;
  readonly count: number;
}

/**
 * What a counter counts: wrong passwords and proofs (`signin`), or wrong MFA codes (`mfa`). MFA
 * failures count apart, so that a right password, which clears its own counter, cannot reopen
 * guessing at the second factor; only a right code clears them.
 */
export type AttemptKind = 'signin' | 'mfa';

function key(pool: UserPoolRecord, subject: LockoutSubject, kind: AttemptKind): string {
  return `${kind}-failures:${pool.id}:${subject.sub}`;
}

/**
 * Cognito's lockout on wrong passwords: after five failures the user is locked out for one second,
 * doubling with each further failure up to about 15 minutes. Attempts during a lockout answer
 * "Password attempts exceeded" and do not count; a successful sign-in, or 15 quiet minutes after
 * the lockout, starts over.
 *
 * Every attempt is reserved, counted as a failure, in one statement of the store before the
 * password or proof is evaluated, so that concurrent guesses (on one node or many) cannot all pass
 * a check made before any of them is recorded: however many arrive at once, no more are evaluated
 * than the lockout lets through. A success then gives its reservation back
 * ({@link attemptSucceeded}).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 */
export async function reserveAttempt(
  services: Services,
  pool: UserPoolRecord,
  subject: LockoutSubject,
  kind: AttemptKind = 'signin',
): Promise<ReservedAttempt> {
  const counter = key(pool, subject, kind);
  const count = await services.store.rateCounters.reserve(counter, SIGN_IN_LOCKOUT, services.clock.now());
  if (count === undefined) throw new NotAuthorizedException('Password attempts exceeded');
  return { key: counter, count };
}

/** A right password clears the failures before it and its own reservation; attempts reserved since stay counted. */
export async function attemptSucceeded(services: Services, attempt: ReservedAttempt): Promise<void> {
  await services.store.rateCounters.giveBack(attempt.key, attempt.count);
}

/**
 * A wrong password or proof keeps its reservation counted. One that starts a lockout (the fifth and
 * each one after) is recorded in the audit log as `Lockout`, with how long it lasts.
 */
export async function attemptFailed(ctx: AuthContext, user: UserRecord, attempt: ReservedAttempt): Promise<void> {
  const lockedFor = lockoutMs(attempt.count);
  if (lockedFor === 0) return;
  await ctx.services.audit.record({
    event: 'Lockout',
    outcome: 'Fail',
    ...auditSource(ctx),
    username: user.username,
    sub: user.sub,
    detail: { failures: String(attempt.count), lockedForSeconds: String(lockedFor / 1000) },
  });
}
