import { InvalidLambdaResponseException, InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { triggerArn } from '../triggers/fire.js';
import type { ChallengeResult, ChallengeSubject } from '../triggers/events/auth-challenge-common.js';
import { defineAuthChallenge } from '../triggers/events/define-auth-challenge.js';
import { createAuthChallenge } from '../triggers/events/create-auth-challenge.js';
import { decoyUser, hidesUserExistence } from './first-factors.js';
import { passwordVerifierChallenge } from './flows/srp.js';
import type { ContinueSignIn } from './flows/types.js';
import { invalidSession, sealAuthSession, type AuthSessionState } from './session.js';
import { resolveSignInDevice } from './steps/devices.js';
import { incorrectCredentials } from './steps/password.js';
import { assertCanSignIn } from './steps/user-status.js';
import type { AuthContext, AuthOutcome } from './types.js';

/*
 * CUSTOM_AUTH, the sign-in that the pool's define, create and verify auth challenge triggers
 * drive: define decides after each round (tokens, failure, or the next challenge), create makes
 * each CUSTOM_CHALLENGE, verify judges the answer. The rounds so far travel in the sealed Session,
 * so any node can take the next answer.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html
 */

/**
 * The most rounds one custom sign-in may have (SRP_A and PASSWORD_VERIFIER count as rounds).
 * Cognito documents no number; a define trigger that keeps asking past this fails the sign-in as a
 * wrong answer does, so a handler with no exit cannot keep a sign-in open for ever.
 */
export const MAX_CUSTOM_AUTH_ROUNDS = 10;

/** Cognito's answer when a custom sign-in needs a challenge trigger the pool does not have. */
export function customAuthNotConfigured(): InvalidParameterException {
  return new InvalidParameterException('Custom auth lambda trigger is not configured for the user pool.');
}

/** Refuses CUSTOM_AUTH in a pool without a define auth challenge trigger. */
export function assertCustomAuthConfigured(pool: UserPoolRecord): void {
  if (triggerArn(pool, 'DefineAuthChallenge') === undefined) throw customAuthNotConfigured();
}

/** Where a custom sign-in stands between two calls. */
export interface CustomAuthProgress {
  /** The name the client typed (the event's `userName` when no user matches it). */
  readonly typed: string;
  readonly user: UserRecord | undefined;
  readonly history: readonly ChallengeResult[];
  /** The DEVICE_KEY the client sent last, checked once tokens are due. */
  readonly deviceKey: string | undefined;
  /** InitiateAuth's SRP_A, while define may still ask for PASSWORD_VERIFIER. */
  readonly srpA?: string;
  /**
   * The request's ClientMetadata, or undefined on InitiateAuth: Cognito passes the challenge
   * triggers only the ClientMetadata of RespondToAuthChallenge.
   */
  readonly clientMetadata: Record<string, string> | undefined;
}

/** What a CUSTOM_CHALLENGE session carries besides the user. */
export interface CustomChallengeData {
  readonly typed: string;
  readonly history: readonly ChallengeResult[];
  readonly privateChallengeParameters: Record<string, string>;
  readonly challengeMetadata: string | null;
  readonly deviceKey?: string;
}

/**
 * The longest Session the API accepts back (SessionType's length limit in the model): a sealed
 * custom-challenge session must fit, so its data is kept compact (short keys, one tuple per round).
 */
const MAX_SESSION_CHARS = 2048;

/** Short names of the challenges a round can record, in the sealed session. */
const ROUND_CODES = { CUSTOM_CHALLENGE: 'C', SRP_A: 'S', PASSWORD_VERIFIER: 'P' } as const;
type RoundCode = (typeof ROUND_CODES)[keyof typeof ROUND_CODES];
const ROUND_NAMES: Record<RoundCode, ChallengeResult['challengeName']> = { C: 'CUSTOM_CHALLENGE', S: 'SRP_A', P: 'PASSWORD_VERIFIER' };

function sealedData(data: CustomChallengeData): Record<string, unknown> {
  return {
    t: data.typed,
    h: data.history.map((r) => [ROUND_CODES[r.challengeName], r.challengeResult ? 1 : 0, r.challengeMetadata]),
    p: data.privateChallengeParameters,
    m: data.challengeMetadata,
    ...(data.deviceKey !== undefined ? { d: data.deviceKey } : {}),
  };
}

function isRound(value: unknown): value is [RoundCode, 0 | 1, string | null] {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    value[0] in ROUND_NAMES &&
    (value[1] === 0 || value[1] === 1) &&
    (value[2] === null || typeof value[2] === 'string')
  );
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** The custom-challenge state of an opened CUSTOM_CHALLENGE session; a session without it is not one of ours. */
export function customChallengeData(state: AuthSessionState): CustomChallengeData {
  const data = state.data ?? {};
  const [typed, history, privateParameters, metadata, deviceKey] = [data['t'], data['h'], data['p'], data['m'], data['d']];
  if (
    typeof typed !== 'string' ||
    !Array.isArray(history) ||
    !history.every(isRound) ||
    !isStringMap(privateParameters) ||
    !(metadata === null || typeof metadata === 'string') ||
    !(deviceKey === undefined || typeof deviceKey === 'string')
  ) {
    throw invalidSession();
  }
  return {
    typed,
    history: history.map(([code, result, meta]) => ({
      challengeName: ROUND_NAMES[code],
      challengeResult: result === 1,
      challengeMetadata: meta,
    })),
    privateChallengeParameters: privateParameters,
    challengeMetadata: metadata,
    ...(deviceKey !== undefined ? { deviceKey } : {}),
  };
}

function subjectOf(ctx: AuthContext, progress: CustomAuthProgress): ChallengeSubject {
  return {
    userName: progress.user?.username ?? progress.typed,
    user: progress.user,
    hidesUserExistence: hidesUserExistence(ctx),
  };
}

/**
 * Runs the define trigger on the history so far and acts on its decision: failure is Cognito's
 * "Incorrect username or password."; tokens go through the rest of the sign-in (`next`), for a user
 * who exists and may sign in; CUSTOM_CHALLENGE asks the create trigger for the next challenge;
 * PASSWORD_VERIFIER, right after SRP_A, continues the SRP exchange. Anything else is an answer the
 * trigger may not give.
 */
export async function continueCustomAuth(ctx: AuthContext, progress: CustomAuthProgress, next: ContinueSignIn): Promise<AuthOutcome> {
  const { services, pool, client } = ctx;
  const subject = subjectOf(ctx, progress);
  const decision = await defineAuthChallenge(services, pool, {
    subject,
    clientId: client.clientId,
    session: progress.history,
    clientMetadata: progress.clientMetadata,
  });
  if (decision === undefined) throw customAuthNotConfigured();
  if (decision.failAuthentication) throw incorrectCredentials();
  if (decision.issueTokens) {
    const user = progress.user;
    // Tokens for a name that matches no user would say it exists: the answer is a failure.
    if (!user) throw incorrectCredentials();
    assertCanSignIn(user);
    const device = await resolveSignInDevice(ctx, user, progress.deviceKey);
    return next(ctx, user, { ...(device ? { device } : {}), customAuth: true });
  }
  if (decision.challengeName === 'CUSTOM_CHALLENGE') {
    if (progress.history.length >= MAX_CUSTOM_AUTH_ROUNDS) throw incorrectCredentials();
    return askCustomChallenge(ctx, progress, subject);
  }
  const afterSrpA = progress.history.length === 1 && progress.history[0]?.challengeName === 'SRP_A';
  if (decision.challengeName === 'PASSWORD_VERIFIER' && afterSrpA && progress.srpA !== undefined) {
    return passwordVerifierChallenge(ctx, { typed: progress.typed, user: progress.user, srpA: progress.srpA, origin: 'CUSTOM_AUTH' });
  }
  throw new InvalidLambdaResponseException('Unrecognizable lambda output', {
    cause: `DefineAuthChallenge: neither tokens, failure nor a challenge Cognate can ask (${decision.challengeName ?? 'none'})`,
  });
}

/** Asks the create trigger for a CUSTOM_CHALLENGE and seals what verifying its answer needs. */
async function askCustomChallenge(ctx: AuthContext, progress: CustomAuthProgress, subject: ChallengeSubject): Promise<AuthOutcome> {
  const { services, pool, client } = ctx;
  const created = await createAuthChallenge(services, pool, {
    subject,
    clientId: client.clientId,
    challengeName: 'CUSTOM_CHALLENGE',
    session: progress.history,
    clientMetadata: progress.clientMetadata,
  });
  if (created === undefined) throw customAuthNotConfigured();
  const data: CustomChallengeData = {
    typed: progress.typed,
    history: progress.history,
    privateChallengeParameters: created.privateChallengeParameters,
    challengeMetadata: created.challengeMetadata,
    ...(progress.deviceKey !== undefined ? { deviceKey: progress.deviceKey } : {}),
  };
  const sessionUser = progress.user ?? (await decoyUser(ctx, progress.typed));
  const session = sealAuthSession(services, { pool, client, user: sessionUser, challenge: 'CUSTOM_CHALLENGE', data: sealedData(data) });
  // A Session longer than the API takes back could never be answered.
  if (session.length > MAX_SESSION_CHARS) {
    throw new InvalidLambdaResponseException('Unrecognizable lambda output', {
      cause: `CreateAuthChallenge: the challenge's private parameters and metadata make a Session of ${session.length} characters`,
    });
  }
  return {
    kind: 'challenge',
    name: 'CUSTOM_CHALLENGE',
    session,
    // The client answers with USERNAME: Cognito names the internal username (or the typed name) here.
    parameters: { ...created.publicChallengeParameters, USERNAME: subject.userName },
  };
}
