import type { UserRecord } from '../store/ports.js';
import type { AuthContext, AuthOutcome } from './types.js';
import { newPasswordRequiredChallenge } from './challenges/new-password-required.js';
import { assertTemporaryPasswordFresh } from './steps/user-status.js';
import { signedIn } from './steps/tokens.js';

/**
 * What follows primary authentication (a right password, later an SRP proof or a custom
 * challenge): a temporary password must be replaced first; then the sign-in completes with tokens.
 * MFA and device challenges slot in here, between the two.
 */
export async function continueSignIn(ctx: AuthContext, user: UserRecord): Promise<AuthOutcome> {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    assertTemporaryPasswordFresh(ctx.pool, user, ctx.services.clock.now());
    return newPasswordRequiredChallenge(ctx, user);
  }
  return signedIn(ctx, user);
}
