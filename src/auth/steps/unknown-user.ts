import { UserNotFoundException } from '../../generated/cognito-idp/errors.js';
import type { AuthContext } from '../types.js';
import { decoyIdentity } from './decoy.js';
import { reserveAttempt } from './lockout.js';
import { incorrectCredentials, spendDecoyVerification } from './password.js';

/**
 * The answer to a sign-in that names no user. With PreventUserExistenceErrors ENABLED it is the
 * same answer, after the same hashing time, as a wrong password, and the name locks out as a user
 * would (a counter keyed by its decoy `sub`), so repeated guesses meet the same sequence of
 * answers; with LEGACY it says so.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
 */
export async function unknownUser(ctx: AuthContext, typed: string, password: string | undefined): Promise<never> {
  if (ctx.client.config.PreventUserExistenceErrors === 'ENABLED') {
    if (password !== undefined) {
      await reserveAttempt(ctx.services, ctx.pool, await decoyIdentity(ctx.services, ctx.pool, typed));
      await spendDecoyVerification(password);
    }
    throw incorrectCredentials();
  }
  throw new UserNotFoundException('User does not exist.');
}
