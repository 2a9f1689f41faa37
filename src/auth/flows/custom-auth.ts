import { UserNotFoundException } from '../../generated/cognito-idp/errors.js';
import { assertCustomAuthConfigured, continueCustomAuth } from '../custom-auth.js';
import { hidesUserExistence } from '../first-factors.js';
import { resolveUser } from '../resolve-user.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { requireSrpA } from '../steps/srp.js';
import { assertCanSignIn } from '../steps/user-status.js';
import { resolveSrpUser } from './srp.js';
import type { AuthFlowHandler } from './types.js';

/**
 * CUSTOM_AUTH (InitiateAuth and AdminInitiateAuth): the pool's define auth challenge trigger runs
 * the sign-in (see `../custom-auth.ts`). With `CHALLENGE_NAME: SRP_A` and `SRP_A` the sign-in starts
 * with the password, as Amplify's CUSTOM_WITH_SRP and amazon-cognito-identity-js's CUSTOM_AUTH do:
 * define sees `[SRP_A]` and asks for PASSWORD_VERIFIER, whose proof it sees next.
 *
 * Order: USERNAME (and SRP_A), the pool's define trigger, the user (for SRP not by `sub`, as
 * USER_SRP_AUTH), SECRET_HASH, then a name that matches no user: UserNotFoundException, or, when the
 * client hides user-existence errors, the triggers run with `userNotFound: true`. A user who may
 * not sign in is refused before any trigger runs (for SRP, after the proof, as USER_SRP_AUTH).
 * InitiateAuth's ClientMetadata does not reach these triggers, as on AWS.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-custom-authentication-flow
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
 */
export const customAuthFlow: AuthFlowHandler = {
  flows: ['CUSTOM_AUTH'],
  async start(ctx, parameters, next) {
    const typed = requireParameter(parameters, 'USERNAME');
    const srpFirst = optionalParameter(parameters, 'CHALLENGE_NAME') === 'SRP_A';
    const srpA = srpFirst ? requireParameter(parameters, 'SRP_A') : undefined;
    if (srpA !== undefined) requireSrpA(srpA);
    assertCustomAuthConfigured(ctx.pool);
    const user = srpFirst ? await resolveSrpUser(ctx, typed) : await resolveUser(ctx.services, ctx.pool, typed);
    checkSecretHash(ctx.client, optionalParameter(parameters, 'SECRET_HASH'), user ? [typed, user.username] : [typed]);
    if (!user && !hidesUserExistence(ctx)) throw new UserNotFoundException('User does not exist.');
    if (user && !srpFirst) assertCanSignIn(user);
    return continueCustomAuth(
      ctx,
      {
        typed,
        user,
        history: srpFirst ? [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }] : [],
        deviceKey: optionalParameter(parameters, 'DEVICE_KEY'),
        ...(srpA !== undefined ? { srpA } : {}),
        clientMetadata: undefined,
      },
      next,
    );
  },
};
