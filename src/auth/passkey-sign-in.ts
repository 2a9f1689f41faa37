import type { UserRecord } from '../store/ports.js';
import { credentialRequestOptions, credentialsOf, passkeysEnabled, verifyAssertion } from './webauthn.js';
import { invalidSession, sealAuthSession, type AuthSessionState } from './session.js';
import { preAuthentication } from './steps/authentication-triggers.js';
import { assertCanSignIn } from './steps/user-status.js';
import type { AuthContext, AuthOutcome } from './types.js';

/*
 * WEB_AUTHN, the passkey first factor of choice-based sign-in: the challenge carries
 * CREDENTIAL_REQUEST_OPTIONS for `navigator.credentials.get()`, and the answer its result as
 * CREDENTIAL.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses
 */

/** Whether USER_AUTH offers the user a passkey: the pool allows WEB_AUTHN and the user has registered one. */
export async function canUsePasskey(ctx: AuthContext, user: UserRecord | undefined): Promise<boolean> {
  if (!passkeysEnabled(ctx.pool)) return false;
  return !user || (await ctx.services.store.webAuthnCredentials.countForUser(user.poolId, user.usernameKey)) > 0;
}

/**
 * Asks for a passkey: the pre authentication trigger, the user's state, then the request options
 * for the user's credentials (none for the decoy of an unknown name), whose challenge the sealed
 * session keeps.
 */
export async function askForPasskey(
  ctx: AuthContext,
  request: { typed: string; user: UserRecord | undefined; subject: UserRecord },
): Promise<AuthOutcome> {
  const { user, subject } = request;
  if (user) {
    await preAuthentication(ctx, { user });
    assertCanSignIn(user);
  } else {
    await preAuthentication(ctx, { unknownName: request.typed });
  }
  const options = await credentialRequestOptions(ctx.services, ctx.pool, user ? await credentialsOf(ctx.services, user) : []);
  return {
    kind: 'challenge',
    name: 'WEB_AUTHN',
    session: sealAuthSession(ctx.services, {
      pool: ctx.pool,
      client: ctx.client,
      user: subject,
      challenge: 'WEB_AUTHN',
      data: { challenge: options.challenge },
    }),
    parameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
  };
}

/** Checks the passkey answer against the session's challenge; returns the user it signs in. */
export async function checkPasskey(
  ctx: AuthContext,
  state: AuthSessionState,
  request: { user: UserRecord | undefined; credential: string },
): Promise<UserRecord> {
  const challenge = state.data?.['challenge'];
  if (typeof challenge !== 'string') throw invalidSession();
  // An unknown name has no credential: it meets the refusal a credential of another user meets.
  return verifyAssertion(ctx.services, ctx.pool, request.user, { challenge, credential: request.credential, pageOrigin: ctx.pageOrigin });
}
