import type { AttributeType, NewDeviceMetadataType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { DeviceRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import type { SrpVerifier } from '../crypto/srp.js';
import { newUuid, randomString } from '../lib/ids.js';

/**
 * Remembered devices: the records behind NewDeviceMetadata, ConfirmDevice and DEVICE_SRP_AUTH.
 *
 * A sign-in on a pool with device tracking creates an unconfirmed device and returns its key and
 * group key. The client then derives an SRP verifier exactly as for a password, with the group key
 * as the "pool name", the device key as the username and a random secret as the password
 * (amazon-cognito-identity-js `generateHashDevice`), and sends it with ConfirmDevice. From then
 * on DEVICE_SRP_AUTH proves possession of the device secret against that verifier.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html
 */

/** Cognito's text for a device that is not (or no longer) tracked for the user; both JS clients match on it. */
export const DEVICE_NOT_FOUND_MESSAGE = 'Device does not exist.';

/**
 * Devices created at sign-in that were never confirmed are forgotten after this long, so clients
 * that ignore NewDeviceMetadata (scripts, server-side SDK calls) do not pile up rows. Every client
 * library confirms right after the sign-in that returned the metadata.
 */
export const UNCONFIRMED_DEVICE_TTL_MS = 24 * 3_600_000;

/**
 * Whether the pool tracks devices. Any member of DeviceConfiguration turns tracking on: "When you
 * provide a value for any property of DeviceConfiguration, you activate the device remembering"
 * (DeviceConfigurationType).
 */
export function deviceTrackingEnabled(pool: UserPoolRecord): boolean {
  const config = pool.config.DeviceConfiguration;
  return (
    config !== undefined && (config.ChallengeRequiredOnNewDevice !== undefined || config.DeviceOnlyRememberedOnUserPrompt !== undefined)
  );
}

/** `-` and 8 alphanumerics, the shape of real group keys (`-v7w9UcY6`, `-nNwnPidS`, `-cgSNKCRd`). */
function newDeviceGroupKey(): string {
  return `-${randomString(8)}`;
}

/** Cognito reports DeviceLastAuthenticatedDate in whole seconds (e.g. `1715100742.0`). */
function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/**
 * Creates an unconfirmed device for a sign-in and returns the NewDeviceMetadata of its
 * AuthenticationResult. The sign-in engine calls it when the pool tracks devices
 * (`deviceTrackingEnabled`) and the client did not sign in with a known device.
 *
 * @param ip the caller's address, reported as `last_ip_used`.
 */
export async function newDeviceMetadata(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  ip?: string,
): Promise<NewDeviceMetadataType> {
  const now = services.clock.now();
  const devices = services.store.devices;
  await devices.deleteUnconfirmedBefore(pool.id, user.usernameKey, now - UNCONFIRMED_DEVICE_TTL_MS);
  const device: DeviceRecord = {
    poolId: pool.id,
    usernameKey: user.usernameKey,
    deviceKey: `${pool.region}_${newUuid()}`,
    deviceGroupKey: newDeviceGroupKey(),
    status: 'unconfirmed',
    rememberedStatus: 'not_remembered',
    name: null,
    lastIpUsed: ip ?? null,
    sealedVerifier: null,
    createdAt: now,
    lastModifiedAt: now,
    lastAuthenticatedAt: wholeSeconds(now),
  };
  await devices.insert(device);
  return { DeviceKey: device.deviceKey, DeviceGroupKey: device.deviceGroupKey };
}

/** Binds a sealed verifier to its pool and device, so it cannot be moved to another row. */
export function verifierContext(device: Pick<DeviceRecord, 'poolId' | 'deviceKey'>): string {
  return `device-srp:${device.poolId}:${device.deviceKey}`;
}

/** Seals a device's SRP salt and verifier (hex) for `DeviceRecord.sealedVerifier`. */
export function sealDeviceVerifier(services: Services, device: Pick<DeviceRecord, 'poolId' | 'deviceKey'>, verifier: SrpVerifier): string {
  return services.sealer.seal(JSON.stringify(verifier), verifierContext(device));
}

/**
 * The device's SRP salt and verifier as hex, for DEVICE_SRP_AUTH (`SALT` is the salt as sent by
 * the client; `createServerChallenge` takes the verifier). Undefined when the device has none:
 * unconfirmed, confirmed without DeviceSecretVerifierConfig, or a value that does not open.
 */
export function deviceVerifierOf(services: Services, device: DeviceRecord): SrpVerifier | undefined {
  if (device.sealedVerifier === null) return undefined;
  const opened = services.sealer.openString(device.sealedVerifier, verifierContext(device));
  return opened === null ? undefined : (JSON.parse(opened) as SrpVerifier);
}

/**
 * Records a sign-in with the device (DEVICE_SRP_AUTH passed): its last IP, and its last
 * authenticated and modified dates. Returns the device as saved.
 */
export async function recordDeviceSignIn(services: Services, device: DeviceRecord, ip: string): Promise<DeviceRecord> {
  const now = services.clock.now();
  const updated: DeviceRecord = { ...device, lastIpUsed: ip, lastAuthenticatedAt: wholeSeconds(now), lastModifiedAt: now };
  await services.store.devices.update(updated);
  return updated;
}

/**
 * The user's tracked (confirmed) device with this key, or undefined: unknown keys, devices of
 * other users and unconfirmed devices all count as absent, as Cognito answers "Device does not
 * exist." for each.
 */
export async function trackedDevice(services: Services, user: UserRecord, deviceKey: string): Promise<DeviceRecord | undefined> {
  const device = await services.store.devices.get(user.poolId, deviceKey);
  if (!device || device.usernameKey !== user.usernameKey || device.status !== 'confirmed') return undefined;
  return device;
}

/**
 * Refuses a refresh token bound to a device unless the request names that device (DEVICE_KEY,
 * DeviceKey) and the device is still tracked. "With device tracking, these tokens are linked to a
 * single device. If a refresh token is used on any other device, the call fails", and after
 * ForgetDevice "all future calls to revalidate that device's refresh tokens will fail" (AWS
 * Mobile Blog, "Tracking and Remembering Devices Using Amazon Cognito Your User Pools"). A device
 * never confirmed fails the same way. AWS answers "Invalid Refresh Token" (e.g.
 * aws/aws-sdk-java#2841, aws/aws-sdk-net-extensions-cognito#85).
 */
export async function refreshTokenDeviceAllowed(
  services: Services,
  user: UserRecord,
  boundDeviceKey: string | null,
  requestDeviceKey: string | undefined,
): Promise<boolean> {
  if (boundDeviceKey === null) return true;
  if (requestDeviceKey !== boundDeviceKey) return false;
  return (await trackedDevice(services, user, boundDeviceKey)) !== undefined;
}

/**
 * DeviceAttributes as Cognito lists them: `device_status` (`valid` for a tracked device),
 * `device_name` when the client named it, `last_ip_used` when known and
 * `dev:device_remembered_status`, in the order of the AWS CLI `list-devices` example output.
 */
export function deviceAttributes(device: DeviceRecord): AttributeType[] {
  const attributes: AttributeType[] = [{ Name: 'device_status', Value: 'valid' }];
  if (device.name !== null) attributes.push({ Name: 'device_name', Value: device.name });
  if (device.lastIpUsed !== null) attributes.push({ Name: 'last_ip_used', Value: device.lastIpUsed });
  attributes.push({ Name: 'dev:device_remembered_status', Value: device.rememberedStatus });
  return attributes;
}
