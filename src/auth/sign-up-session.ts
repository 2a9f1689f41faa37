import { NotAuthorizedException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { effectiveExplicitAuthFlows } from '../api/ops/clients/client-config.js';
import { newUuid } from '../lib/ids.js';
import { invalidSession } from './session.js';

/** The sealer context of sign-up sessions, so that no challenge session can pass for one. */
const SEAL_CONTEXT = 'sign-up-session';
/** AuthSessionValidity when a client has none (Cognito's default, in minutes). */
const DEFAULT_VALIDITY_MINUTES = 3;
/** How long a spent session's marker is kept; longer than any session lives. */
const USED_MARKER_MS = 24 * 3_600_000;

/**
 * What a sign-up session is good for: `confirm` (SignUp's, for an unconfirmed user, handed to
 * ConfirmSignUp) or `sign-in` (ConfirmSignUp's, or SignUp's for a user confirmed at once, handed
 * to InitiateAuth USER_AUTH in place of a first factor).
 */
export type SignUpSessionUse = 'confirm' | 'sign-in';

interface SignUpSessionState {
  readonly use: SignUpSessionUse;
  readonly poolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly sub: string;
  readonly expiresAt: number;
  readonly nonce: string;
}

function isState(value: unknown): value is SignUpSessionState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v['use'] === 'confirm' || v['use'] === 'sign-in') &&
    typeof v['poolId'] === 'string' &&
    typeof v['clientId'] === 'string' &&
    typeof v['username'] === 'string' &&
    typeof v['sub'] === 'string' &&
    typeof v['expiresAt'] === 'number' &&
    typeof v['nonce'] === 'string'
  );
}

/**
 * Whether SignUp and ConfirmSignUp hand out a session: only to app clients that allow choice-based
 * sign-in, the one flow that can use it (AWS answers no Session otherwise:
 * https://github.com/aws/aws-sdk-js-v3/issues/6724).
 */
export function offersSignUpSession(client: UserPoolClientRecord): boolean {
  return effectiveExplicitAuthFlows(client).includes('ALLOW_USER_AUTH');
}

/**
 * Seals a session that ties a sign-up to the next step, bound to the pool, app client and user,
 * valid for the client's AuthSessionValidity minutes and good for one use.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html#API_ConfirmSignUp_ResponseSyntax
 */
export function sealSignUpSession(
  services: Services,
  target: { pool: UserPoolRecord; client: UserPoolClientRecord; user: UserRecord; use: SignUpSessionUse },
): string {
  const minutes = target.client.config.AuthSessionValidity ?? DEFAULT_VALIDITY_MINUTES;
  const state: SignUpSessionState = {
    use: target.use,
    poolId: target.pool.id,
    clientId: target.client.clientId,
    username: target.user.username,
    sub: target.user.sub,
    expiresAt: services.clock.now() + minutes * 60_000,
    nonce: newUuid(),
  };
  return services.sealer.seal(JSON.stringify(state), SEAL_CONTEXT);
}

function open(
  services: Services,
  session: string,
  expected: { pool: UserPoolRecord; client: UserPoolClientRecord; user: UserRecord; use: SignUpSessionUse },
): SignUpSessionState {
  const opened = services.sealer.openString(session, SEAL_CONTEXT);
  let state: unknown;
  try {
    state = opened === null ? undefined : JSON.parse(opened);
  } catch {
    state = undefined;
  }
  if (
    !isState(state) ||
    state.use !== expected.use ||
    state.poolId !== expected.pool.id ||
    state.clientId !== expected.client.clientId ||
    state.username !== expected.user.username ||
    state.sub !== expected.user.sub
  ) {
    throw invalidSession();
  }
  return state;
}

/**
 * Checks the SignUp session a client may pass to ConfirmSignUp: it must be one of ours, for this
 * pool, client and user. Its age is not held against it, since the code proves the user anyway and
 * a confirmation code often takes longer to arrive than a session lives.
 */
export function checkConfirmSession(
  services: Services,
  session: string,
  expected: { pool: UserPoolRecord; client: UserPoolClientRecord; user: UserRecord },
): void {
  open(services, session, { ...expected, use: 'confirm' });
}

/**
 * Redeems a sign-in session from ConfirmSignUp (or from SignUp, for a user confirmed at once) in
 * place of a first factor: it must be ours, for this pool, client and user, unexpired and unused,
 * and the user must have been confirmed. It is spent here, so a second use fails.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-request-Session
 */
export async function redeemSignInSession(
  services: Services,
  session: string,
  expected: { pool: UserPoolRecord; client: UserPoolClientRecord; user: UserRecord },
): Promise<void> {
  const state = open(services, session, { ...expected, use: 'sign-in' });
  if (services.clock.now() >= state.expiresAt) throw new NotAuthorizedException('Invalid session for the user, session is expired.');
  const uses = await services.store.rateCounters.hitSliding(`sign-up-session:${state.nonce}`, USED_MARKER_MS, services.clock.now());
  if (uses > 1) throw invalidSession();
}
