import { ResourceNotFoundException } from '../../generated/cognito-idp/errors.js';
import type { DeviceRecord, UserRecord } from '../../store/ports.js';
import { createServerChallenge } from '../../crypto/srp.js';
import { DEVICE_NOT_FOUND_MESSAGE, deviceVerifierOf, trackedDevice } from '../devices.js';
import { blockNumber, sealSecretBlock } from '../secret-block.js';
import { invalidSession, sealAuthSession, spendAuthSession, type AuthSessionState } from '../session.js';
import { requireParameter } from '../steps/parameters.js';
import { requireSrpA } from '../steps/srp.js';
import type { AuthContext, AuthOutcome } from '../types.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession, sessionAnswerUser } from './session.js';

/**
 * The DEVICE_SRP_AUTH challenge: after the user's proof, a remembered device proves it holds its
 * secret. Its Session names the user and the device; the challenge has no parameters.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html#user-pools-remembered-devices-signing-in-with-a-device
 */
export function deviceSrpAuthChallenge(ctx: AuthContext, user: UserRecord, device: DeviceRecord): AuthOutcome {
  return {
    kind: 'challenge',
    name: 'DEVICE_SRP_AUTH',
    session: sealAuthSession(ctx.services, {
      pool: ctx.pool,
      client: ctx.client,
      user,
      challenge: 'DEVICE_SRP_AUTH',
      data: { deviceKey: device.deviceKey },
    }),
    parameters: {},
  };
}

/** The device a device-challenge session was issued for. */
export function sessionDeviceKey(state: AuthSessionState): string {
  const key = state.data?.['deviceKey'];
  if (typeof key !== 'string') throw invalidSession();
  return key;
}

/**
 * The device's tracked record for a device-challenge answer: DEVICE_KEY must be the session's
 * device, which must still be tracked (a device forgotten meanwhile is "Device does not exist.").
 */
export async function deviceOfAnswer(
  ctx: AuthContext,
  state: AuthSessionState,
  user: UserRecord,
  responses: Readonly<Record<string, string>>,
): Promise<DeviceRecord> {
  const deviceKey = requireParameter(responses, 'DEVICE_KEY');
  const device = await trackedDevice(ctx.services, user, deviceKey);
  if (!device) throw new ResourceNotFoundException(DEVICE_NOT_FOUND_MESSAGE);
  if (device.deviceKey !== sessionDeviceKey(state)) throw invalidSession();
  return device;
}

/**
 * Answers DEVICE_SRP_AUTH with USERNAME, DEVICE_KEY and the device exchange's SRP_A: the server's
 * half comes back as DEVICE_PASSWORD_VERIFIER, whose parameters are those the clients read
 * (SRP_B, SALT, SECRET_BLOCK, and USERNAME and DEVICE_KEY, which the .NET extension requires),
 * with a Session for the last step. The device's verifier came from ConfirmDevice.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const deviceSrpAuth: ChallengeHandler = {
  name: 'DEVICE_SRP_AUTH',
  async respond(ctx, { responses, session }) {
    const { services, pool, client } = ctx;
    const state = openChallengeSession(ctx, session, 'DEVICE_SRP_AUTH');
    const user = await sessionAnswerUser(ctx, state, responses);
    const A = requireSrpA(requireParameter(responses, 'SRP_A'));
    const device = await deviceOfAnswer(ctx, state, user, responses);
    const verifier = deviceVerifierOf(services, device);
    // The device lost its verifier since the session was issued; it can no longer authenticate.
    if (!verifier) throw new ResourceNotFoundException(DEVICE_NOT_FOUND_MESSAGE);

    const server = await createServerChallenge(verifier.verifier);
    const block = sealSecretBlock(
      services,
      { pool, client },
      {
        kind: 'device',
        origin: 'USER_SRP_AUTH',
        username: user.username,
        sub: user.sub,
        A: blockNumber(A),
        b: server.b,
        B: blockNumber(BigInt(`0x${server.B}`)),
        deviceKey: device.deviceKey,
      },
    );
    await spendAuthSession(services, state);
    return {
      kind: 'challenge',
      name: 'DEVICE_PASSWORD_VERIFIER',
      session: sealAuthSession(services, {
        pool,
        client,
        user,
        challenge: 'DEVICE_PASSWORD_VERIFIER',
        data: { deviceKey: device.deviceKey },
      }),
      parameters: { SRP_B: server.B, SALT: verifier.salt, SECRET_BLOCK: block, USERNAME: user.username, DEVICE_KEY: device.deviceKey },
    };
  },
};
