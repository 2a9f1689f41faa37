import type { AuthFlowType } from '../../generated/cognito-idp/shapes.js';
import type { DeviceRecord, UserRecord } from '../../store/ports.js';
import type { TokenRequest } from '../../tokens/issue.js';
import type { AuthContext, AuthOutcome } from '../types.js';

/** What a sign-in step hands on besides the user. */
export interface SignInOptions {
  /** The tracked device the request named with DEVICE_KEY, already checked to be the user's. */
  readonly device?: DeviceRecord;
  /** Why tokens will be issued, when not a plain sign-in (a forced password change). */
  readonly tokenSource?: TokenRequest['source'];
  /** The second factor has been answered (src/auth/mfa.ts), so the sign-in goes on past MFA. */
  readonly mfaDone?: boolean;
  /** The sign-in is CUSTOM_AUTH's: threat protection follows the pool's CustomAuthMode. */
  readonly customAuth?: boolean;
}

/**
 * Carries a user who has passed a step of primary authentication on to what follows it (a forced
 * password change, MFA later, device authentication, or tokens). The engine supplies it, so flows
 * and challenges never import one another.
 */
export type ContinueSignIn = (ctx: AuthContext, user: UserRecord, options?: SignInOptions) => Promise<AuthOutcome>;

/** One way to start a sign-in (an InitiateAuth AuthFlow), registered in `flows/index.ts`. */
export interface AuthFlowHandler {
  /** The AuthFlow values this handler serves (a flow and its legacy alias share one). */
  readonly flows: readonly AuthFlowType[];
  start(ctx: AuthContext, parameters: Readonly<Record<string, string>>, next: ContinueSignIn): Promise<AuthOutcome>;
}
