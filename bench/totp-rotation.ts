import { totpCode, totpStep } from '../src/crypto/totp.js';

/**
 * The users of the password-mfa path and the TOTP code each may answer next. Cognito (and Cognate)
 * takes a code once: a step at or before the user's last accepted one is refused, so each user
 * signs in at most once per 30-second step. The rotation hands out users round-robin, each with the
 * next step it may use (the current one or the next, which the server's one-step skew accepts; never
 * the previous one, which could leave the window while the request is on its way), and keeps a
 * user out of the rotation while its sign-in is in flight, so its steps reach the server in order.
 */

export interface TotpUser {
  username: string;
  /** The base32 secret AssociateSoftwareToken gave. */
  secret: string;
  /** The last step the server accepted for the user (VerifySoftwareToken spends one too). */
  lastStep: number;
}

/** One reserved sign-in: whose, and the step of the code it will answer with. */
export interface TotpTurn {
  index: number;
  username: string;
  step: number;
}

export class TotpRotation {
  private cursor = 0;
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly users: readonly TotpUser[],
    private readonly now: () => number = Date.now,
  ) {}

  /** The next user free to sign in with a code, reserved until {@link release}; undefined when every one is spent or busy. */
  take(): TotpTurn | undefined {
    const current = totpStep(this.now());
    for (let tried = 0; tried < this.users.length; tried++) {
      const index = this.cursor;
      this.cursor = (this.cursor + 1) % this.users.length;
      if (this.inFlight.has(index)) continue;
      const user = this.users[index]!;
      const step = Math.max(user.lastStep + 1, current);
      if (step > current + 1) continue;
      user.lastStep = step;
      this.inFlight.add(index);
      return { index, username: user.username, step };
    }
    return undefined;
  }

  /** The code of a reserved turn, computed when the answer is sent. */
  code(turn: TotpTurn): string {
    return totpCode(this.users[turn.index]!.secret, turn.step);
  }

  /** Ends a turn (answered, or failed before the answer). */
  release(turn: TotpTurn): void {
    this.inFlight.delete(turn.index);
  }
}

/** Seconds per TOTP step. */
const STEP_SECONDS = 30;

/**
 * How many MFA users a run needs so no sign-in waits for a fresh code: at `ratePerSec` (the
 * password ceiling bounds it) for `runSeconds`, each user has two steps at the start (the current
 * and the next) and one more per 30 s, with a quarter to spare.
 */
export function totpUsersNeeded(ratePerSec: number, runSeconds: number): number {
  const perUser = 2 + Math.floor(runSeconds / STEP_SECONDS);
  return Math.max(1, Math.ceil(((ratePerSec * runSeconds) / perUser) * 1.25));
}
