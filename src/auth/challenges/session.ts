import type { ChallengeNameType } from '../../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import { openAuthSession, type AuthSessionState } from '../session.js';
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
