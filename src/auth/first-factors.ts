import type { ChallengeNameType } from '../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type { UserRecord } from '../store/ports.js';
import type { ContinueSignIn } from './flows/types.js';
import { passwordVerifierChallenge, resolveSrpUser } from './flows/srp.js';
import { newUserRecord } from './new-user.js';
import { resolveUser, usernameKey } from './resolve-user.js';
import { invalidSession, sealAuthSession, spendAuthSession, type AuthSessionState } from './session.js';
import { openChallengeSession } from './challenges/session.js';
import { optionalParameter, requireParameter } from './steps/parameters.js';
import { decoyIdentity } from './steps/decoy.js';
import { signInWithPassword } from './steps/password-sign-in.js';
import { checkSecretHash } from './steps/secret-hash.js';
import { unknownUser } from './steps/unknown-user.js';
import { canReceiveOtp, isOtpFactor, sendSignInCode } from './passwordless.js';
import { askForPasskey, canUsePasskey } from './passkey-sign-in.js';
import type { AuthContext, AuthOutcome } from './types.js';

/*
 * The first factors of choice-based sign-in (USER_AUTH), shared by the flow that starts it and
 * the challenges that continue it (SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html#authentication-flows-selection-choice
 */

/** The first factors Cognate runs. */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/**
 * The first factors USER_AUTH offers, in the order of Cognito's AuthFactorType: the pool's
 * SignInPolicy allows PASSWORD (always, in pools Cognate creates), which USER_AUTH offers both in
 * clear and as SRP, and may allow EMAIL_OTP, SMS_OTP and WEB_AUTHN. With a user, only the factors
 * the user can use: a code factor needs the address to send it to, a passkey a registered one.
 */
export async function availableFirstFactors(ctx: AuthContext, user?: UserRecord): Promise<FirstFactor[]> {
  const allowed = ctx.pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
  const factors: FirstFactor[] = allowed.includes('PASSWORD') ? ['PASSWORD', 'PASSWORD_SRP'] : [];
  for (const factor of ['EMAIL_OTP', 'SMS_OTP'] as const) {
    if (allowed.includes(factor) && (!user || canReceiveOtp(user, factor))) factors.push(factor);
  }
  if (await canUsePasskey(ctx, user)) factors.push('WEB_AUTHN');
  return factors;
}

async function offered(ctx: AuthContext, user: UserRecord | undefined, name: string | undefined): Promise<FirstFactor | undefined> {
  return (await availableFirstFactors(ctx, user)).find((factor) => factor === name);
}

/**
 * Stands in for a user who does not exist while user-existence errors are hidden, so that the
 * choice and its session look the same as for a real user; the answer then fails as a wrong
 * password would. Its `sub` is the name's decoy one, as every path uses for the name. CUSTOM_AUTH
 * seals its sessions for the same stand-in.
 */
export async function decoyUser(ctx: AuthContext, typed: string): Promise<UserRecord> {
  const { sub } = await decoyIdentity(ctx.services, ctx.pool, typed);
  return newUserRecord(ctx.pool, {
    username: usernameKey(ctx.pool, typed),
    sub,
    status: 'CONFIRMED',
    attributes: {},
    now: ctx.services.clock.now(),
  });
}

/** Whether the app client hides user-existence errors (PreventUserExistenceErrors ENABLED). */
export function hidesUserExistence(ctx: AuthContext): boolean {
  return ctx.client.config.PreventUserExistenceErrors === 'ENABLED';
}

/**
 * SELECT_CHALLENGE: the first factors to choose from (`AvailableChallenges`), with a session for
 * the choice and empty ChallengeParameters, as AWS answers a USER_AUTH request naming no
 * preference.
 */
export async function offerChoice(ctx: AuthContext, user: UserRecord | undefined, typed: string): Promise<AuthOutcome> {
  if (!user && !hidesUserExistence(ctx)) return unknownUser(ctx, typed, undefined);
  const subject = user ?? (await decoyUser(ctx, typed));
  return {
    kind: 'challenge',
    name: 'SELECT_CHALLENGE',
    session: sealAuthSession(ctx.services, { pool: ctx.pool, client: ctx.client, user: subject, challenge: 'SELECT_CHALLENGE' }),
    parameters: {},
    availableChallenges: await availableFirstFactors(ctx, user),
  };
}

/** Asks for a chosen factor whose answer did not come with the choice (a password, or SRP_A). */
async function askFor(ctx: AuthContext, user: UserRecord | undefined, typed: string, factor: FirstFactor): Promise<AuthOutcome> {
  if (!user && !hidesUserExistence(ctx)) return unknownUser(ctx, typed, undefined);
  const subject = user ?? (await decoyUser(ctx, typed));
  return {
    kind: 'challenge',
    name: factor,
    session: sealAuthSession(ctx.services, { pool: ctx.pool, client: ctx.client, user: subject, challenge: factor }),
    parameters: {},
  };
}

/**
 * Starts the chosen factor with whatever of its answer came along: PASSWORD with `PASSWORD` signs
 * in as USER_PASSWORD_AUTH does (user migration included), PASSWORD_SRP with `SRP_A` answers
 * PASSWORD_VERIFIER exactly as USER_SRP_AUTH does; without them the factor is asked for in a
 * challenge of its own. EMAIL_OTP and SMS_OTP send their code and ask for it; WEB_AUTHN asks for
 * a passkey.
 */
export async function runFirstFactor(
  ctx: AuthContext,
  factor: FirstFactor,
  typed: string,
  user: UserRecord | undefined,
  parameters: Readonly<Record<string, string>>,
  next: ContinueSignIn,
): Promise<AuthOutcome> {
  if (isOtpFactor(factor) || factor === 'WEB_AUTHN') {
    if (!user && !hidesUserExistence(ctx)) return unknownUser(ctx, typed, undefined);
    const request = { typed, user, subject: user ?? (await decoyUser(ctx, typed)) };
    return factor === 'WEB_AUTHN' ? askForPasskey(ctx, request) : sendSignInCode(ctx, factor, request);
  }
  if (factor === 'PASSWORD') {
    const password = optionalParameter(parameters, 'PASSWORD');
    if (password === undefined) return askFor(ctx, user, typed, factor);
    return signInWithPassword(ctx, { typed, user, password, deviceKey: optionalParameter(parameters, 'DEVICE_KEY') }, next);
  }
  const srpA = optionalParameter(parameters, 'SRP_A');
  if (srpA === undefined) return askFor(ctx, user, typed, factor);
  return passwordSrpFactor(ctx, typed, srpA);
}

/**
 * PASSWORD_SRP with SRP_A: the PASSWORD_VERIFIER challenge exactly as USER_SRP_AUTH answers it
 * (an SRP user is never named by `sub`), whose proof then finishes the sign-in.
 */
async function passwordSrpFactor(ctx: AuthContext, typed: string, srpA: string): Promise<AuthOutcome> {
  const user = await resolveSrpUser(ctx, typed);
  return passwordVerifierChallenge(ctx, { typed, user, srpA, origin: 'USER_AUTH' });
}

/** The chosen factor of a USER_AUTH request's PREFERRED_CHALLENGE, when the pool offers it to the user. */
export async function preferredFactor(
  ctx: AuthContext,
  user: UserRecord | undefined,
  parameters: Readonly<Record<string, string>>,
): Promise<FirstFactor | undefined> {
  return offered(ctx, user, optionalParameter(parameters, 'PREFERRED_CHALLENGE'));
}

/**
 * The user a USER_AUTH (or CUSTOM_CHALLENGE) answer names, checked against its session: the session must be
 * this challenge's, for this pool and client, and for the same user (or, for a decoy, the same
 * typed name). SECRET_HASH is checked as in the flow.
 */
export async function openFirstFactorAnswer(
  ctx: AuthContext,
  name: ChallengeNameType,
  answer: { responses: Readonly<Record<string, string>>; session: string | undefined },
): Promise<{ state: AuthSessionState; typed: string; user: UserRecord | undefined }> {
  const state = openChallengeSession(ctx, answer.session, name);
  const typed = requireParameter(answer.responses, 'USERNAME');
  const user = await resolveUser(ctx.services, ctx.pool, typed);
  if (user ? user.username !== state.username || user.sub !== state.sub : usernameKey(ctx.pool, typed) !== state.username) {
    throw invalidSession();
  }
  checkSecretHash(ctx.client, optionalParameter(answer.responses, 'SECRET_HASH'), user ? [typed, user.username] : [typed]);
  return { state, typed, user };
}

/** Answers SELECT_CHALLENGE: `ANSWER` must be one of the offered factors. */
export async function answerChoice(
  ctx: AuthContext,
  answer: { responses: Readonly<Record<string, string>>; session: string | undefined },
  next: ContinueSignIn,
): Promise<AuthOutcome> {
  const { state, typed, user } = await openFirstFactorAnswer(ctx, 'SELECT_CHALLENGE', answer);
  const choice = requireParameter(answer.responses, 'ANSWER');
  const factor = await offered(ctx, user, choice);
  // Best-guess wording: no captured AWS response for an answer outside AvailableChallenges.
  if (!factor) throw new InvalidParameterException(`${choice} is not an available challenge for this user.`);
  const outcome = await runFirstFactor(ctx, factor, typed, user, answer.responses, next);
  await spendAuthSession(ctx.services, state);
  return outcome;
}

/** Answers the PASSWORD or PASSWORD_SRP challenge that a choice without its answer led to. */
export async function answerFactor(
  ctx: AuthContext,
  factor: 'PASSWORD' | 'PASSWORD_SRP',
  answer: { responses: Readonly<Record<string, string>>; session: string | undefined },
  next: ContinueSignIn,
): Promise<AuthOutcome> {
  const { state, typed, user } = await openFirstFactorAnswer(ctx, factor, answer);
  requireParameter(answer.responses, factor === 'PASSWORD' ? 'PASSWORD' : 'SRP_A');
  const outcome = await runFirstFactor(ctx, factor, typed, user, answer.responses, next);
  await spendAuthSession(ctx.services, state);
  return outcome;
}
