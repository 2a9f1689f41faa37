import { UserNotFoundException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import { N, createServerChallenge } from '../../crypto/srp.js';
import { srpVerifierOf } from '../passwords.js';
import { resolveUser, usernameKey } from '../resolve-user.js';
import { blockNumber, sealSecretBlock, type SrpOrigin } from '../secret-block.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { preAuthentication } from '../steps/authentication-triggers.js';
import { requireSrpA, srpDecoy } from '../steps/srp.js';
import { assertNotAwaitingFirstPassword } from '../steps/user-status.js';
import type { AuthContext, AuthOutcome } from '../types.js';
import type { AuthFlowHandler } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user an SRP sign-in names: by username, email or phone (UsernameAttributes) or alias, but
 * not by `sub`, which AWS answers with UserNotFoundException for SRP (measured in ministack PR
 * #1758), unlike the admin operations. In pools whose internal usernames are UUIDs, that UUID is
 * the username and still works.
 */
export async function resolveSrpUser(ctx: AuthContext, typed: string): Promise<UserRecord | undefined> {
  const user = await resolveUser(ctx.services, ctx.pool, typed);
  if (user && UUID.test(typed) && user.sub === typed.toLowerCase() && user.usernameKey !== usernameKey(ctx.pool, typed)) return undefined;
  return user;
}

/**
 * The PASSWORD_VERIFIER challenge for a user who started an SRP sign-in with SRP_A: the user's
 * SALT, the server's SRP_B and a sealed SECRET_BLOCK, with USERNAME and USER_ID_FOR_SRP both the
 * internal username (the name the client must hash into x, also after an alias or email sign-in).
 * As AWS answers, there is no Session: the SECRET_BLOCK carries the state.
 *
 * The pre authentication trigger runs first (with `userNotFound` for a decoy). A name that
 * matches no user is UserNotFoundException, unless the client prevents user-existence errors:
 * then a decoy challenge (stable salt, random B) whose proof fails as a wrong password does. A
 * user without a password (no verifier) gets a decoy too, except one due a reset, who is told so
 * (an imported user). Nothing in the answer tells the two
 * apart: the block carries a UUID `sub` either way, and SRP_B is sent at the full width of N.
 *
 * Shared with USER_AUTH's PASSWORD_SRP factor and CUSTOM_AUTH with `CHALLENGE_NAME: SRP_A`
 * (`origin` tells PASSWORD_VERIFIER what follows the proof); callers check SECRET_HASH first.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-srp
 */
export async function passwordVerifierChallenge(
  ctx: AuthContext,
  request: { typed: string; user: UserRecord | undefined; srpA: string; origin: SrpOrigin },
): Promise<AuthOutcome> {
  const { services, pool, client } = ctx;
  const A = blockNumber(requireSrpA(request.srpA));
  const user = request.user;
  if (!user && client.config.PreventUserExistenceErrors !== 'ENABLED') throw new UserNotFoundException('User does not exist.');
  // Before the exchange starts, as for a password; SRP carries no password, so no user migration.
  await preAuthentication(ctx, user ? { user } : { unknownName: request.typed });
  if (user) assertNotAwaitingFirstPassword(user);
  const verifier = user ? srpVerifierOf(services, pool, user) : undefined;

  if (!user || !verifier) {
    const decoy = await srpDecoy(services, pool, user ? user.username : request.typed);
    const username = user ? user.username : decoy.username;
    const block = sealSecretBlock(
      services,
      { pool, client },
      {
        kind: 'user',
        origin: request.origin,
        username,
        // A user's own sub, or the decoy's: the block is as long as a real one, and the proof
        // counts toward that name's lockout.
        sub: user?.sub ?? decoy.sub,
        A,
        b: decoy.challenge.b,
        B: blockNumber(BigInt(`0x${decoy.challenge.B}`)),
      },
    );
    return challenge(decoy.salt, decoy.challenge.B, block, username);
  }

  const server = await createServerChallenge(verifier.verifier);
  const block = sealSecretBlock(
    services,
    { pool, client },
    {
      kind: 'user',
      origin: request.origin,
      username: user.username,
      sub: user.sub,
      A,
      b: server.b,
      B: blockNumber(BigInt(`0x${server.B}`)),
    },
  );
  return challenge(verifier.salt, server.B, block, user.username);
}

/** Hex digits of N: SRP_B is sent at this width, so its length says nothing about the user or the draw. */
const B_DIGITS = N.toString(16).length;

function challenge(salt: string, B: string, block: string, username: string): AuthOutcome {
  return {
    kind: 'challenge',
    name: 'PASSWORD_VERIFIER',
    parameters: { SALT: salt, SRP_B: B.padStart(B_DIGITS, '0'), SECRET_BLOCK: block, USERNAME: username, USER_ID_FOR_SRP: username },
  };
}

/**
 * USER_SRP_AUTH (InitiateAuth and AdminInitiateAuth): USERNAME and SRP_A start the exchange, the
 * answer is PASSWORD_VERIFIER (see `challenges/password-verifier.ts`). SRP_A is checked before
 * anything else; SECRET_HASH may be made with the typed name or the internal username. A remembered
 * device is named again in the PASSWORD_VERIFIER answer (DEVICE_KEY), where it counts.
 *
 * CUSTOM_AUTH with `CHALLENGE_NAME: SRP_A` starts the same way once its define trigger asks for
 * PASSWORD_VERIFIER (`passwordVerifierChallenge` with origin CUSTOM_AUTH, see `custom-auth.ts`).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 */
export const userSrpFlow: AuthFlowHandler = {
  flows: ['USER_SRP_AUTH'],
  async start(ctx, parameters) {
    const typed = requireParameter(parameters, 'USERNAME');
    const srpA = requireParameter(parameters, 'SRP_A');
    requireSrpA(srpA);
    const user = await resolveSrpUser(ctx, typed);
    checkSecretHash(ctx.client, optionalParameter(parameters, 'SECRET_HASH'), user ? [typed, user.username] : [typed]);
    return passwordVerifierChallenge(ctx, { typed, user, srpA, origin: 'USER_SRP_AUTH' });
  },
};
