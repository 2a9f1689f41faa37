import type { AuthFlowType, ChallengeNameType } from '../generated/cognito-idp/shapes.js';
import { InvalidParameterException, UnsupportedOperationException } from '../generated/cognito-idp/errors.js';
import type { AuthContext, AuthOutcome } from './types.js';
import { assertFlowEnabled, assertFlowOnApi } from './steps/client-flows.js';
import { flowHandler } from './flows/index.js';
import { challengeHandler } from './challenges/index.js';
import { openChallengeSession } from './challenges/session.js';
import { continueSignIn } from './sign-in.js';

/**
 * Starts a sign-in (InitiateAuth, AdminInitiateAuth, and later managed login): the flow must belong
 * to the calling API and be enabled on the app client; then its handler runs.
 */
export async function startAuth(ctx: AuthContext, flow: AuthFlowType, parameters: Readonly<Record<string, string>>): Promise<AuthOutcome> {
  assertFlowOnApi(flow, ctx.api);
  assertFlowEnabled(ctx.client, flow, ctx.api);
  const handler = flowHandler(flow);
  if (!handler) throw new UnsupportedOperationException(`Cognate does not support the ${flow} flow yet.`);
  return handler.start(ctx, parameters, continueSignIn);
}

/** Answers a challenge (RespondToAuthChallenge, AdminRespondToAuthChallenge) with its handler. */
export async function answerChallenge(
  ctx: AuthContext,
  name: ChallengeNameType,
  responses: Readonly<Record<string, string>>,
  session: string | undefined,
): Promise<AuthOutcome> {
  // ADMIN_NO_SRP_AUTH is in the enum but is a flow, never a challenge (API reference).
  if (name === 'ADMIN_NO_SRP_AUTH') throw new InvalidParameterException('ADMIN_NO_SRP_AUTH is not a valid challenge name.');
  const handler = challengeHandler(name);
  if (!handler) {
    // A session names the challenge it awaits; answering another one is the caller's mistake.
    if (session !== undefined) openChallengeSession(ctx, session, name);
    throw new UnsupportedOperationException(`Cognate does not support the ${name} challenge yet.`);
  }
  return handler.respond(ctx, { responses, session }, continueSignIn);
}
