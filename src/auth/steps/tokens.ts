import type { DeviceRecord, UserRecord } from '../../store/ports.js';
import { issueTokens, type TokenRequest } from '../../tokens/issue.js';
import { deviceTrackingEnabled, newDeviceMetadata, recordDeviceSignIn } from '../devices.js';
import type { AuthContext, AuthOutcome } from '../types.js';
import { postAuthentication } from './authentication-triggers.js';

/** How the device of a sign-in stands at its end. */
export interface SignedInDevice {
  readonly device?: DeviceRecord;
  /** The device passed DEVICE_SRP_AUTH. */
  readonly proven?: boolean;
  /** Why the tokens are issued (the pre token generation source); default `TokenGeneration_Authentication`. */
  readonly source?: TokenRequest['source'];
}

/**
 * The end of a successful sign-in: the post authentication trigger (`newDeviceUsed` when the
 * sign-in brings a device the pool has not seen), then ID, access and refresh tokens for the user,
 * with `auth_time` the moment the sign-in completed. The user record is left as it is.
 *
 * Devices, in pools that track them: a device proven by DEVICE_SRP_AUTH puts its key in the access
 * token (`device_key`) and binds the refresh token to it, and its sign-in is recorded. A sign-in
 * that named no known device gets a new one, returned as NewDeviceMetadata for the client to
 * confirm, and is bound to it the same way. A tracked device that was not proven (not remembered)
 * gets neither.
 */
export async function signedIn(ctx: AuthContext, user: UserRecord, options: SignedInDevice = {}): Promise<AuthOutcome> {
  const { services, pool } = ctx;
  const newDevice = !options.device && deviceTrackingEnabled(pool);
  // Before any device or token is written: a handler that throws fails the sign-in.
  await postAuthentication(ctx, user, newDevice);
  let deviceKey: string | undefined;
  let metadata: Awaited<ReturnType<typeof newDeviceMetadata>> | undefined;
  if (options.device && options.proven) {
    deviceKey = options.device.deviceKey;
    await recordDeviceSignIn(services, options.device, ctx.sourceIp);
  } else if (newDevice) {
    metadata = await newDeviceMetadata(services, pool, user, ctx.sourceIp);
    deviceKey = metadata.DeviceKey;
  }
  const result = await issueTokens(services, {
    source: options.proven ? 'TokenGeneration_AuthenticateDevice' : (options.source ?? 'TokenGeneration_Authentication'),
    pool,
    client: ctx.client,
    user,
    authTime: services.clock.now(),
    refresh: 'new',
    clientMetadata: ctx.clientMetadata,
    ...(deviceKey !== undefined ? { deviceKey } : {}),
  });
  if (metadata) result.NewDeviceMetadata = metadata;
  return { kind: 'tokens', result };
}
