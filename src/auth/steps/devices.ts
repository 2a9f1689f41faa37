import { ResourceNotFoundException } from '../../generated/cognito-idp/errors.js';
import type { Services } from '../../services.js';
import type { DeviceRecord, UserRecord } from '../../store/ports.js';
import { DEVICE_NOT_FOUND_MESSAGE, deviceTrackingEnabled, deviceVerifierOf, trackedDevice } from '../devices.js';
import type { AuthContext } from '../types.js';

/**
 * The device a sign-in names with DEVICE_KEY, once the user is known: the user's tracked device,
 * or ResourceNotFoundException "Device does not exist." for a key that is unknown, forgotten,
 * never confirmed or another user's. Both JS clients match that answer, drop the cached device
 * and retry without it (amazon-cognito-identity-js retries PASSWORD_VERIFIER, Amplify the whole
 * sign-in). Pools that do not track devices ignore the key.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html
 */
export async function resolveSignInDevice(
  ctx: AuthContext,
  user: UserRecord,
  deviceKey: string | undefined,
): Promise<DeviceRecord | undefined> {
  if (deviceKey === undefined || !deviceTrackingEnabled(ctx.pool)) return undefined;
  const device = await trackedDevice(ctx.services, user, deviceKey);
  if (!device) throw new ResourceNotFoundException(DEVICE_NOT_FOUND_MESSAGE);
  return device;
}

/**
 * Whether a sign-in with the device goes through device authentication (DEVICE_SRP_AUTH): the
 * device is remembered and ConfirmDevice gave it a secret verifier. A tracked device the user
 * chose not to remember signs in without it (and, once MFA exists, still needs the second factor).
 */
export function authenticatesDevice(services: Services, device: DeviceRecord): boolean {
  return device.rememberedStatus === 'remembered' && deviceVerifierOf(services, device) !== undefined;
}
