import type { UserRecord } from '../../store/ports.js';
import { issueTokens } from '../../tokens/issue.js';
import type { AuthContext, AuthOutcome } from '../types.js';

/**
 * The end of a successful sign-in: ID, access and refresh tokens for the user, with `auth_time` the
 * moment the sign-in completed. The user record is left as it is.
 */
export async function signedIn(ctx: AuthContext, user: UserRecord): Promise<AuthOutcome> {
  const result = await issueTokens(ctx.services, {
    pool: ctx.pool,
    client: ctx.client,
    user,
    authTime: ctx.services.clock.now(),
    refresh: 'new',
  });
  return { kind: 'tokens', result };
}
