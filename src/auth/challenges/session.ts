import type { ChallengeNameType } from '../../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import { invalidSession, openAuthSession, type AuthSessionState } from '../session.js';
import { resolveUser } from '../resolve-user.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import type { AuthContext } from '../types.js';

/**
 * Opens the session of a challenge answer and checks it was issued for this challenge. An answer
 * to a different challenge than the session asks for is a bad parameter (best-guess wording).
 */
export function openChallengeSession(ctx: AuthContext, session: string | undefined, name: ChallengeNameType): AuthSessionState {
  const state = openAuthSession(ctx.services, session, { pool: ctx.pool, client: ctx.client });
  if (state.challenge !== name)
    throw new InvalidParameterException(`Invalid challenge name ${name} for this session: expected ${state.challenge}.`);
  return state;
}

/**
 * The user a challenge answer names (USERNAME: the internal username, or any name resolving to the
 * same user), who must be the session's, checked with the answer's SECRET_HASH.
 */
export async function sessionAnswerUser(
  ctx: AuthContext,
  state: AuthSessionState,
  responses: Readonly<Record<string, string>>,
): Promise<UserRecord> {
  const typed = requireParameter(responses, 'USERNAME');
  const user = await resolveUser(ctx.services, ctx.pool, typed);
  if (!user || user.username !== state.username || user.sub !== state.sub) throw invalidSession();
  checkSecretHash(ctx.client, optionalParameter(responses, 'SECRET_HASH'), [typed, user.username]);
  return user;
}
