import type { AuthFlowType } from '../../generated/cognito-idp/shapes.js';
import type { AuthFlowHandler } from './types.js';
import { passwordFlow } from './password.js';
import { refreshTokenFlow } from './refresh-token.js';
import { userAuthFlow } from './user-auth.js';
import { userSrpFlow } from './srp.js';
import { customAuthFlow } from './custom-auth.js';

/**
 * The implemented AuthFlow values. A new flow (USER_SRP_AUTH, CUSTOM_AUTH, USER_AUTH) is one more
 * handler here; flows not listed answer UnsupportedOperationException naming them.
 */
// CUSTOM_AUTH with `CHALLENGE_NAME: SRP_A` starts through `passwordVerifierChallenge` (./srp.ts,
// origin CUSTOM_AUTH), and PASSWORD_VERIFIER hands the proof back to the define trigger.
const HANDLERS: readonly AuthFlowHandler[] = [passwordFlow, refreshTokenFlow, userAuthFlow, userSrpFlow, customAuthFlow];

const BY_FLOW: ReadonlyMap<AuthFlowType, AuthFlowHandler> = new Map(HANDLERS.flatMap((h) => h.flows.map((f) => [f, h] as const)));

export function flowHandler(flow: AuthFlowType): AuthFlowHandler | undefined {
  return BY_FLOW.get(flow);
}
