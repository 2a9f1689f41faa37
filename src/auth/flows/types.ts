import type { AuthFlowType } from '../../generated/cognito-idp/shapes.js';
import type { UserRecord } from '../../store/ports.js';
import type { AuthContext, AuthOutcome } from '../types.js';

/**
 * Carries a user who has passed a step of primary authentication on to what follows it (a forced
 * password change, MFA later, or tokens). The engine supplies it, so flows and challenges never
 * import one another.
 */
export type ContinueSignIn = (ctx: AuthContext, user: UserRecord) => Promise<AuthOutcome>;

/** One way to start a sign-in (an InitiateAuth AuthFlow), registered in `flows/index.ts`. */
export interface AuthFlowHandler {
  /** The AuthFlow values this handler serves (a flow and its legacy alias share one). */
  readonly flows: readonly AuthFlowType[];
  start(ctx: AuthContext, parameters: Readonly<Record<string, string>>, next: ContinueSignIn): Promise<AuthOutcome>;
}
