import { ResourceNotFoundException } from '../../generated/cognito-idp/errors.js';
import { DEVICE_NOT_FOUND_MESSAGE, deviceVerifierOf } from '../devices.js';
import { openSecretBlock, spendSecretBlock } from '../secret-block.js';
import { spendAuthSession } from '../session.js';
import { requireParameter } from '../steps/parameters.js';
import { incorrectCredentials } from '../steps/password.js';
import { proofMatches, timestampAcceptable } from '../steps/srp.js';
import { signedIn } from '../steps/tokens.js';
import { assertCanSignIn } from '../steps/user-status.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession, sessionAnswerUser } from './session.js';
import { deviceOfAnswer } from './device-srp-auth.js';

/**
 * Answers DEVICE_PASSWORD_VERIFIER, the device's proof: the same SRP math as PASSWORD_VERIFIER
 * with the DeviceGroupKey as the pool name, the DeviceKey as the username and the device secret
 * as the password, so PASSWORD_CLAIM_SIGNATURE = HMAC(K, DeviceGroupKey | DeviceKey | SECRET_BLOCK
 * | TIMESTAMP). A valid proof ends the sign-in: tokens whose access token carries `device_key`,
 * a refresh token bound to the device, and the device's sign-in recorded. A wrong proof is
 * "Incorrect username or password." (best guess; the device's secret is the client's own).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const devicePasswordVerifier: ChallengeHandler = {
  name: 'DEVICE_PASSWORD_VERIFIER',
  async respond(ctx, { responses, session }) {
    const { services, pool, client } = ctx;
    const state = openChallengeSession(ctx, session, 'DEVICE_PASSWORD_VERIFIER');
    const user = await sessionAnswerUser(ctx, state, responses);
    const secretBlock = requireParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
    const timestamp = requireParameter(responses, 'TIMESTAMP');
    const signature = requireParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
    const device = await deviceOfAnswer(ctx, state, user, responses);

    const block = await openSecretBlock(services, secretBlock, { pool, client, kind: 'device' });
    if (block.username !== user.username || block.sub !== user.sub || block.deviceKey !== device.deviceKey) throw incorrectCredentials();
    if (!timestampAcceptable(services, timestamp)) throw incorrectCredentials();
    const verifier = deviceVerifierOf(services, device);
    if (!verifier) throw new ResourceNotFoundException(DEVICE_NOT_FOUND_MESSAGE);
    const proven = await proofMatches({
      state: block,
      verifierHex: verifier.verifier,
      poolName: device.deviceGroupKey,
      userId: device.deviceKey,
      secretBlock,
      timestamp,
      signature,
    });
    await spendSecretBlock(services, block);
    if (!proven) throw incorrectCredentials();
    await spendAuthSession(services, state);
    assertCanSignIn(user);
    return signedIn(ctx, user, { device, proven: true });
  },
};
