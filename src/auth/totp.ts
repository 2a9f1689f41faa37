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
 * The step a TOTP code matches, checked against a sealed secret at the services' clock (RFC 6238,
 * one step of skew either way), or undefined for a wrong or out-of-window code, or one of a step at
 * or before the user's last accepted one (RFC 6238 §5.2: a code that worked cannot be used again).
 * Nothing is spent: the caller spends the step in the store.
 */
function matchedStep(services: Services, user: UserRecord, sealedSecret: string, code: string): number | undefined {
  const secret = services.sealer.openString(sealedSecret, TOTP_SEAL_CONTEXT);
  if (secret === null) return undefined;
  const step = matchTotp(secret, code, services.clock.now());
  if (step === undefined) return undefined;
  const last = user.extra.mfa?.totpLastStep;
  return last !== undefined && step <= last ? undefined : step;
}

/**
 * Checks a TOTP code against a sealed secret at the services' clock, and spends the step it
 * matched: a step at or before the user's last accepted one is refused, and of two requests racing
 * with the same code, on any nodes, only the first to mark the step in the store's counters passes.
 * Returns the step, or undefined for a wrong, out-of-window or spent code; the caller stores the
 * step as `totpLastStep`. (VerifySoftwareToken's check, which rewrites the whole user with it.)
 */
export async function acceptTotpCode(
  services: Services,
  user: UserRecord,
  sealedSecret: string,
  code: string,
): Promise<number | undefined> {
  const step = matchedStep(services, user, sealedSecret, code);
  if (step === undefined) return undefined;
  const marker = `totp-step:${user.poolId}:${user.sub}:${step}`;
  const uses = await services.store.rateCounters.hitSliding(marker, SPENT_STEP_MARKER_MS, services.clock.now());
  return uses === 1 ? step : undefined;
}

/** The user with `step` recorded as the last accepted TOTP step. */
function withTotpStep(user: UserRecord, step: number): UserRecord {
  return { ...user, extra: { ...user.extra, mfa: { ...user.extra.mfa, totpLastStep: step } } };
}

/**
 * Checks a TOTP code against the user's sealed secret and spends the step it matched, recording it
 * as the user's `totpLastStep` in the same statement, which is also the guard against replays:
 * it writes only while the stored last step is before this one, so of requests racing with one
 * code, on any nodes, exactly one passes (src/store/ports.ts, `spendTotpStep`). Returns the user
 * as written, or undefined for a wrong, out-of-window or spent code.
 */
export async function spendTotpCode(
  services: Services,
  user: UserRecord,
  sealedSecret: string,
  code: string,
): Promise<UserRecord | undefined> {
  const step = matchedStep(services, user, sealedSecret, code);
  if (step === undefined) return undefined;
  const spent = withTotpStep(user, step);
  return (await services.store.users.spendTotpStep(spent)) ? spent : undefined;
}
