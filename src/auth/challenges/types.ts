import type { ChallengeNameType } from '../../generated/cognito-idp/shapes.js';
import type { ContinueSignIn } from '../flows/types.js';
import type { AuthContext, AuthOutcome } from '../types.js';

export interface ChallengeAnswer {
  readonly responses: Readonly<Record<string, string>>;
  readonly session: string | undefined;
}

/** The answer to one ChallengeName of RespondToAuthChallenge, registered in `challenges/index.ts`. */
export interface ChallengeHandler {
  readonly name: ChallengeNameType;
  respond(ctx: AuthContext, answer: ChallengeAnswer, next: ContinueSignIn): Promise<AuthOutcome>;
}
