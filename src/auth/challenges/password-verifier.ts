import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { srpPoolName, srpVerifierOf } from '../passwords.js';
import { resolveUser, usernameKey } from '../resolve-user.js';
import { openSecretBlock, spendSecretBlock, type SecretBlockState } from '../secret-block.js';
import { resolveSignInDevice } from '../steps/devices.js';
import { attemptFailed, attemptSucceeded, reserveAttempt } from '../steps/lockout.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { incorrectCredentials } from '../steps/password.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { proofMatches, spendDecoyProof, timestampAcceptable } from '../steps/srp.js';
import { assertCanSignIn } from '../steps/user-status.js';
import { continueCustomAuth } from '../custom-auth.js';
import type { ChallengeHandler } from './types.js';

/** Whether the block was issued for a user who still exists (rather than for a decoy). */
async function blockUserExists(services: Services, pool: UserPoolRecord, state: SecretBlockState): Promise<boolean> {
  const user = await services.store.users.get(pool.id, usernameKey(pool, state.username));
  return user?.sub === state.sub;
}

/**
 * Answers PASSWORD_VERIFIER, the second step of USER_SRP_AUTH: the client proves it knows the
 * password with PASSWORD_CLAIM_SIGNATURE = HMAC(K, poolName | USER_ID_FOR_SRP | SECRET_BLOCK |
 * TIMESTAMP), K from the SRP exchange the SECRET_BLOCK holds.
 *
 * Order: the four answers, the SECRET_BLOCK (ours, this pool and client, unexpired, unspent),
 * SECRET_HASH, USERNAME naming the block's user, TIMESTAMP, the attempt reserved under the lockout
 * (of the block's user, or of the decoy's name), the proof (compared in constant time; a right
 * one gives the attempt back), then DEVICE_KEY (an unknown device answers
 * "Device does not exist." and leaves the block unspent, because amazon-cognito-identity-js
 * retries this very answer without the key), then the user's state, as USER_PASSWORD_AUTH checks
 * it after the password. Every failure of the proof is AWS's "Incorrect username or password."
 * (measured for a wrong password, signature or SECRET_BLOCK, a zero-padded day and a wrong
 * weekday in ministack PR #1758).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const passwordVerifier: ChallengeHandler = {
  name: 'PASSWORD_VERIFIER',
  async respond(ctx, { responses }, next) {
    const { services, pool, client } = ctx;
    const typed = requireParameter(responses, 'USERNAME');
    const secretBlock = requireParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
    const timestamp = requireParameter(responses, 'TIMESTAMP');
    const signature = requireParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');

    const state = await openSecretBlock(services, secretBlock, { pool, client, kind: 'user' });
    checkSecretHash(client, optionalParameter(responses, 'SECRET_HASH'), [typed, state.username]);
    // The answer must name the block's user: by internal username, as clients send it, or by a
    // name that resolves to that same user. A decoy's block names no user (its sub is the decoy's).
    const user = await resolveUser(services, pool, typed);
    const sameUser = user !== undefined && user.username === state.username && user.sub === state.sub;
    if (!sameUser && (await blockUserExists(services, pool, state))) throw incorrectCredentials();
    if (!timestampAcceptable(services, timestamp)) throw incorrectCredentials();

    // The attempt counts toward the block's subject, a user or a decoy alike, before the proof.
    const attempt = await reserveAttempt(services, pool, state);
    if (!sameUser) {
      await spendDecoyProof(state);
      await spendSecretBlock(services, state);
      throw incorrectCredentials();
    }
    const verifier = srpVerifierOf(services, pool, user);
    const proven =
      verifier !== undefined &&
      (await proofMatches({
        state,
        verifierHex: verifier.verifier,
        poolName: srpPoolName(pool.id),
        userId: user.username,
        secretBlock,
        timestamp,
        signature,
      }));
    if (!proven) {
      await spendSecretBlock(services, state);
      await attemptFailed(ctx, user, attempt);
      throw incorrectCredentials();
    }
    await attemptSucceeded(services, attempt);

    // Only this answer's DEVICE_KEY counts: identity-js retries it without the key after "Device
    // does not exist.", even when InitiateAuth carried the key.
    const device = await resolveSignInDevice(ctx, user, optionalParameter(responses, 'DEVICE_KEY'));
    await spendSecretBlock(services, state);
    assertCanSignIn(user);
    // CUSTOM_AUTH's SRP step hands the proof to the define trigger, which decides what follows.
    if (state.origin === 'CUSTOM_AUTH') {
      return continueCustomAuth(
        ctx,
        {
          typed: user.username,
          user,
          history: [
            { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
            { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
          ],
          deviceKey: device?.deviceKey,
          clientMetadata: ctx.clientMetadata,
        },
        next,
      );
    }
    return next(ctx, user, device ? { device } : {});
  },
};
