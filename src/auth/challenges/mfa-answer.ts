import { CodeMismatchException, ExpiredCodeException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import { assertSessionUnspent, claimAuthSession, releaseAuthSession, type AuthSessionState } from '../session.js';
import { attemptFailed, attemptSucceeded, reserveAttempt } from '../steps/lockout.js';
import { assertCanSignIn } from '../steps/user-status.js';
import type { AuthContext } from '../types.js';
import { sessionAnswerUser } from './session.js';

/**
 * The user an MFA answer names (USERNAME: the internal username or any name resolving to the same
 * user), who must be the session's, with its SECRET_HASH, and who may still sign in. The session is
 * checked for a code's answer by {@link checkMfaCode}.
 */
export async function mfaCodeAnswerUser(
  ctx: AuthContext,
  state: AuthSessionState,
  responses: Readonly<Record<string, string>>,
): Promise<UserRecord> {
  const user = await sessionAnswerUser(ctx, state, responses);
  assertCanSignIn(user);
  return user;
}

/** The user of an MFA answer that carries no code ({@link mfaCodeAnswerUser}); the session must not have been spent. */
export async function mfaAnswerUser(
  ctx: AuthContext,
  state: AuthSessionState,
  responses: Readonly<Record<string, string>>,
): Promise<UserRecord> {
  const user = await mfaCodeAnswerUser(ctx, state, responses);
  await assertSessionUnspent(ctx.services, state);
  return user;
}

/**
 * Checks an MFA code once per session, with Cognito's counting. The session is claimed first
 * (src/auth/session.ts: a spent session, or one another request is answering, is "Invalid session
 * for the user." whatever the code), and the claim stands as the session's spending when the code
 * is right; a failure gives it back, so a wrong code can be corrected with the same session. Each
 * guess is reserved on the user's MFA failure counter before it is checked
 * (src/auth/steps/lockout.ts: five free, then lockouts doubling from one second, "Password attempts
 * exceeded"), a wrong one stays counted and answers CodeMismatchException with `mismatch`, a right
 * one clears the count. `check` returns its result for a right code, undefined for a wrong one; an
 * expired code counts as a wrong one.
 */
export async function checkMfaCode<T>(
  ctx: AuthContext,
  state: AuthSessionState,
  user: UserRecord,
  mismatch: string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  await claimAuthSession(ctx.services, state);
  try {
    return await countedMfaCode(ctx, user, mismatch, check);
  } catch (error) {
    await releaseAuthSession(ctx.services, state);
    throw error;
  }
}

async function countedMfaCode<T>(ctx: AuthContext, user: UserRecord, mismatch: string, check: () => Promise<T | undefined>): Promise<T> {
  const attempt = await reserveAttempt(ctx.services, ctx.pool, user, 'mfa');
  let result: T | undefined;
  try {
    result = await check();
  } catch (error) {
    if (!(error instanceof CodeMismatchException || error instanceof ExpiredCodeException)) throw error;
    result = undefined;
  }
  if (result === undefined) {
    await attemptFailed(ctx, user, attempt);
    throw new CodeMismatchException(mismatch);
  }
  await attemptSucceeded(ctx.services, attempt);
  return result;
}
