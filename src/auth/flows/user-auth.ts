import { resolveUser } from '../resolve-user.js';
import { offerChoice, preferredFactor, runFirstFactor } from '../first-factors.js';
import { invalidSession } from '../session.js';
import { redeemSignInSession } from '../sign-up-session.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { assertCanSignIn } from '../steps/user-status.js';
import type { AuthFlowHandler } from './types.js';

/**
 * USER_AUTH, choice-based sign-in (InitiateAuth and AdminInitiateAuth):
 * - with the `Session` of ConfirmSignUp, the confirmation code stands in for the first factor and
 *   the sign-in goes on at once (Amplify's auto sign-in after sign-up);
 * - with `PREFERRED_CHALLENGE` PASSWORD or PASSWORD_SRP, that factor runs directly (with its
 *   `PASSWORD` or `SRP_A`, or else as a challenge of its own); EMAIL_OTP or SMS_OTP sends its code,
 *   WEB_AUTHN asks for a passkey;
 * - otherwise SELECT_CHALLENGE lists the factors the pool offers the user (`AvailableChallenges`),
 *   for RespondToAuthChallenge to choose from. A preference the pool does not offer the user gets
 *   the same list.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html#authentication-flows-selection-choice
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 */
export const userAuthFlow: AuthFlowHandler = {
  flows: ['USER_AUTH'],
  async start(ctx, parameters, next) {
    const typed = requireParameter(parameters, 'USERNAME');
    const user = await resolveUser(ctx.services, ctx.pool, typed);
    checkSecretHash(ctx.client, optionalParameter(parameters, 'SECRET_HASH'), user ? [typed, user.username] : [typed]);

    if (ctx.initiateSession !== undefined) {
      if (!user) throw invalidSession();
      await redeemSignInSession(ctx.services, ctx.initiateSession, { pool: ctx.pool, client: ctx.client, user });
      assertCanSignIn(user);
      return next(ctx, user);
    }

    const factor = await preferredFactor(ctx, user, parameters);
    if (factor) return runFirstFactor(ctx, factor, typed, user, parameters, next);
    return offerChoice(ctx, user, typed);
  },
};
