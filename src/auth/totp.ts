import type { Services } from '../services.js';
import type { UserRecord } from '../store/ports.js';
import { matchTotp, newTotpSecret } from '../crypto/totp.js';

/** The sealer context of TOTP secrets, so no other sealed value can pass for one. */
export const TOTP_SEAL_CONTEXT = 'totp-secret';
/** How long a spent step's marker is kept: longer than the three steps a code can match in. */
const SPENT_STEP_MARKER_MS = 5 * 60_000;

/** A new secret for AssociateSoftwareToken: the clear base32 for the user, and its sealed form for the record. */
export function newSealedTotpSecret(services: Services): { secret: string; sealed: string } {
  const secret = newTotpSecret();
  return { secret, sealed: services.sealer.seal(secret, TOTP_SEAL_CONTEXT) };
}

/**
 * The clear secret of the authenticator the user is enrolling (AssociateSoftwareToken's, not yet
 * verified), for a page that shows it again after a wrong first code; undefined when there is none.
 */
export function pendingTotpSecret(services: Services, user: UserRecord): string | undefined {
  const sealed = user.extra.mfa?.totpPending;
  return sealed === undefined ? undefined : (services.sealer.openString(sealed, TOTP_SEAL_CONTEXT) ?? undefined);
}

/**
 * Checks a TOTP code against a sealed secret at the services' clock, and spends the step it
 * matched: a step at or before the user's last accepted one is refused (RFC 6238 §5.2: a code that
 * worked cannot be used again), and of two requests racing with the same code, on any nodes, only
 * the first to mark the step in the store's counters passes. Returns the step, or undefined for a
 * wrong, out-of-window or spent code; the caller stores the step as `totpLastStep`.
 */
export async function acceptTotpCode(
  services: Services,
  user: UserRecord,
  sealedSecret: string,
  code: string,
): Promise<number | undefined> {
  const secret = services.sealer.openString(sealedSecret, TOTP_SEAL_CONTEXT);
  if (secret === null) return undefined;
  const now = services.clock.now();
  const step = matchTotp(secret, code, now);
  if (step === undefined) return undefined;
  const last = user.extra.mfa?.totpLastStep;
  if (last !== undefined && step <= last) return undefined;
  const uses = await services.store.rateCounters.hitSliding(`totp-step:${user.poolId}:${user.sub}:${step}`, SPENT_STEP_MARKER_MS, now);
  return uses === 1 ? step : undefined;
}

/** The user with `step` recorded as the last accepted TOTP step. */
export function withTotpStep(user: UserRecord, step: number): UserRecord {
  return { ...user, extra: { ...user.extra, mfa: { ...user.extra.mfa, totpLastStep: step } } };
}
