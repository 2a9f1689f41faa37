import type { AuthFlowType, ChallengeNameType } from '../generated/cognito-idp/shapes.js';
import { InvalidParameterException, UnsupportedOperationException } from '../generated/cognito-idp/errors.js';
import { auditSource, type AuthContext, type AuthOutcome } from './types.js';
import { assertFlowEnabled, assertFlowOnApi } from './steps/client-flows.js';
import { flowHandler } from './flows/index.js';
import { challengeHandler } from './challenges/index.js';
import { openChallengeSession } from './challenges/session.js';
import { continueSignIn } from './sign-in.js';
import { CognitoError } from '../errors/cognito-error.js';
import { decodeJwt } from '../tokens/jwt.js';
import { riskDetail, riskEventId, screenSignInAddress } from './threat-protection.js';

/**
 * Starts a sign-in (InitiateAuth, AdminInitiateAuth, and later managed login): the flow must belong
 * to the calling API and be enabled on the app client; then its handler runs.
 */
export async function startAuth(ctx: AuthContext, flow: AuthFlowType, parameters: Readonly<Record<string, string>>): Promise<AuthOutcome> {
  const refresh = flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN';
  const start = async (): Promise<AuthOutcome> => {
    assertFlowOnApi(flow, ctx.api);
    assertFlowEnabled(ctx.client, flow, ctx.api);
    const handler = flowHandler(flow);
    if (!handler) throw new UnsupportedOperationException(`Cognate does not support the ${flow} flow yet.`);
    // Threat protection's IP lists screen every sign-in before its first step.
    if (!refresh) await screenSignInAddress(ctx, flow === 'CUSTOM_AUTH' ? 'custom' : 'standard');
    return handler.start(ctx, parameters, continueSignIn);
  };
  // Refreshing tokens is not signing in.
  if (refresh) return start();
  return auditedSignIn(ctx, { flow }, parameters['USERNAME'], start);
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
  return auditedSignIn(ctx, { challenge: name }, responses['USERNAME'], () => handler.respond(ctx, { responses, session }, continueSignIn));
}

/** The user an outcome signed in: from managed login's record, or from the access token just issued. */
function signedInUser(outcome: AuthOutcome): { username: string | undefined; sub: string | undefined } {
  if (outcome.kind === 'signed-in') return { username: outcome.user.username, sub: outcome.user.sub };
  const token = outcome.kind === 'tokens' ? outcome.result.AccessToken : undefined;
  const claims = token === undefined ? undefined : decodeJwt(token)?.payload;
  const claim = (name: string): string | undefined => (typeof claims?.[name] === 'string' ? claims[name] : undefined);
  return { username: claim('username'), sub: claim('sub') };
}

/**
 * Runs one sign-in step and records it in the audit log as `SignIn`: Pass with the signed-in
 * user, InProgress with the challenge that comes next, or Fail with the error's type and the name
 * the caller gave. Every sign-in (API, Admin API, managed login) comes through here.
 */
async function auditedSignIn(
  ctx: AuthContext,
  detail: Record<string, string>,
  typedName: string | undefined,
  step: () => Promise<AuthOutcome>,
): Promise<AuthOutcome> {
  const base = { event: 'SignIn', ...auditSource(ctx), detail: { ...detail, via: ctx.api } };
  let outcome: AuthOutcome;
  try {
    outcome = await step();
  } catch (error) {
    const type = error instanceof CognitoError ? error.type : 'InternalErrorException';
    await ctx.services.audit.record({
      ...base,
      outcome: 'Fail',
      error: type,
      username: typedName ?? null,
      detail: { ...base.detail, ...riskDetail(ctx) },
      ...riskEventId(ctx),
    });
    throw error;
  }
  if (outcome.kind === 'challenge') {
    await ctx.services.audit.record({
      ...base,
      outcome: 'InProgress',
      username: typedName ?? null,
      detail: { ...base.detail, next: outcome.name, ...riskDetail(ctx) },
      ...riskEventId(ctx),
    });
  } else {
    const user = signedInUser(outcome);
    await ctx.services.audit.record({
      ...base,
      outcome: 'Pass',
      username: user.username ?? typedName ?? null,
      sub: user.sub ?? null,
      detail: { ...base.detail, ...riskDetail(ctx) },
      ...riskEventId(ctx),
    });
  }
  return outcome;
}
