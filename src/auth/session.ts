import type { ChallengeNameType } from '../generated/cognito-idp/shapes.js';
import { NotAuthorizedException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { newUuid } from '../lib/ids.js';

/** The sealer context of challenge sessions, so no other sealed value can pass for one. */
const SEAL_CONTEXT = 'auth-session';
/** AuthSessionValidity when a client has none (Cognito's default, in minutes). */
const DEFAULT_VALIDITY_MINUTES = 3;
/** How long a spent session's marker is kept; longer than any session lives (15 minutes at most). */
const USED_MARKER_MS = 24 * 3_600_000;

/**
 * What a `Session` carries from one sign-in step to the next. The client only ever sees it sealed
 * (AES-256-GCM under the master key), so it cannot read or alter it, and any node can open it.
 */
export interface AuthSessionState {
  readonly poolId: string;
  readonly clientId: string;
  /** The internal username (`USER_ID_FOR_SRP`). */
  readonly username: string;
  readonly sub: string;
  /** The challenge this session answers. */
  readonly challenge: ChallengeNameType;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Makes every session unique and names it when it is spent. */
  readonly nonce: string;
  /** Step-specific state (an MFA code's id, SRP's server values, a custom challenge's history). */
  readonly data?: Record<string, unknown>;
}

export function invalidSession(): NotAuthorizedException {
  return new NotAuthorizedException('Invalid session for the user.');
}

function expiredSession(): NotAuthorizedException {
  return new NotAuthorizedException('Invalid session for the user, session is expired.');
}

/** Seals a new session for the next challenge, valid for the client's AuthSessionValidity minutes. */
export function sealAuthSession(
  services: Services,
  target: {
    pool: UserPoolRecord;
    client: UserPoolClientRecord;
    user: UserRecord;
    challenge: ChallengeNameType;
    data?: Record<string, unknown>;
  },
): string {
  const now = services.clock.now();
  const minutes = target.client.config.AuthSessionValidity ?? DEFAULT_VALIDITY_MINUTES;
  const state: AuthSessionState = {
    poolId: target.pool.id,
    clientId: target.client.clientId,
    username: target.user.username,
    sub: target.user.sub,
    challenge: target.challenge,
    issuedAt: now,
    expiresAt: now + minutes * 60_000,
    nonce: newUuid(),
    ...(target.data ? { data: target.data } : {}),
  };
  return services.sealer.seal(JSON.stringify(state), SEAL_CONTEXT);
}

function isState(value: unknown): value is AuthSessionState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['poolId'] === 'string' &&
    typeof v['clientId'] === 'string' &&
    typeof v['username'] === 'string' &&
    typeof v['sub'] === 'string' &&
    typeof v['challenge'] === 'string' &&
    typeof v['issuedAt'] === 'number' &&
    typeof v['expiresAt'] === 'number' &&
    typeof v['nonce'] === 'string'
  );
}

/**
 * Opens a session sent back by the client: it must be ours, untampered, issued for this pool and
 * app client, and not expired. A spent session fails later, in {@link spendAuthSession}, so that a
 * wrong answer (a password the policy refuses) can be corrected with the same session.
 */
export function openAuthSession(
  services: Services,
  session: string | undefined,
  expected: { pool: UserPoolRecord; client: UserPoolClientRecord },
): AuthSessionState {
  const state = readAuthSession(services, session);
  if (state.poolId !== expected.pool.id || state.clientId !== expected.client.clientId) throw invalidSession();
  return state;
}

/**
 * Opens a session that names its own pool and app client: AssociateSoftwareToken and
 * VerifySoftwareToken take a Session with no ClientId beside it. It must be ours, untampered and
 * not expired; the caller loads the pool and client it names.
 */
export function readAuthSession(services: Services, session: string | undefined): AuthSessionState {
  if (!session) throw invalidSession();
  const opened = services.sealer.openString(session, SEAL_CONTEXT);
  if (opened === null) throw invalidSession();
  let state: unknown;
  try {
    state = JSON.parse(opened);
  } catch {
    throw invalidSession();
  }
  if (!isState(state)) throw invalidSession();
  if (services.clock.now() >= state.expiresAt) throw expiredSession();
  return state;
}

/** The marker of a spent session, in the store's counters. */
function spentKey(state: AuthSessionState): string {
  return `auth-session:${state.nonce}`;
}

/**
 * Refuses a session already spent, before its answer is checked: a replayed MFA session is
 * "Invalid session for the user." whatever code comes with it. (The spend itself stays the guard
 * against races: see {@link spendAuthSession}.)
 */
export async function assertSessionUnspent(services: Services, state: AuthSessionState): Promise<void> {
  const marker = await services.store.rateCounters.peek(spentKey(state));
  if (marker !== undefined && marker.count > 0) throw invalidSession();
}

/**
 * Takes a session for one answer before the answer is checked, in one statement of the store that
 * every node sees: a session already spent, or being answered by another request at this moment,
 * is "Invalid session for the user." whatever comes with it. A right answer keeps the claim (the
 * session is spent); a wrong one gives it up ({@link releaseAuthSession}), so that it can be
 * corrected with the same session. One write where {@link assertSessionUnspent} then
 * {@link spendAuthSession} take a read and a write.
 */
export async function claimAuthSession(services: Services, state: AuthSessionState): Promise<void> {
  if (!(await services.store.rateCounters.claim(spentKey(state), services.clock.now()))) throw invalidSession();
}

/** Gives up a claim of {@link claimAuthSession} whose answer failed: the session may be answered again. */
export async function releaseAuthSession(services: Services, state: AuthSessionState): Promise<void> {
  await services.store.rateCounters.reset(spentKey(state));
}

/**
 * Marks a session spent, once the step it answers has succeeded; a second use is refused. The
 * marker lives in the store's counters, so every node sees it.
 */
export async function spendAuthSession(services: Services, state: AuthSessionState): Promise<void> {
  const uses = await services.store.rateCounters.hitSliding(spentKey(state), USED_MARKER_MS, services.clock.now());
  if (uses > 1) throw invalidSession();
}
