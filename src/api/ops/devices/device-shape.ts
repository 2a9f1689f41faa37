import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { DeviceRememberedStatusType, DeviceType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { DeviceFilter, DeviceRecord, UserRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';
import { DEVICE_NOT_FOUND_MESSAGE, deviceAttributes, trackedDevice } from '../../../auth/devices.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';

/** The DeviceType of every device operation. */
export function toDeviceType(device: DeviceRecord): DeviceType {
  const shape: DeviceType = {
    DeviceKey: device.deviceKey,
    DeviceAttributes: deviceAttributes(device),
    DeviceCreateDate: epochSeconds(device.createdAt),
    DeviceLastModifiedDate: epochSeconds(device.lastModifiedAt),
  };
  if (device.lastAuthenticatedAt !== null) shape.DeviceLastAuthenticatedDate = epochSeconds(device.lastAuthenticatedAt);
  return shape;
}

/**
 * The user's tracked device, or ResourceNotFoundException "Device does not exist." — the text
 * amazon-cognito-identity-js and Amplify match to drop a cached device key.
 */
export async function requireDevice(services: Services, user: UserRecord, deviceKey: string): Promise<DeviceRecord> {
  const device = await trackedDevice(services, user, deviceKey);
  if (!device) throw new ResourceNotFoundException(DEVICE_NOT_FOUND_MESSAGE);
  return device;
}

/** One page of a user's devices in device-key order: `Limit` (at most 60) at a time. */
export async function listDevicePage(
  services: Services,
  user: UserRecord,
  filter: DeviceFilter,
  limit: number | undefined,
  token: string | undefined,
  requestId: string,
): Promise<{ Devices: DeviceType[]; PaginationToken?: string }> {
  const after = decodePageToken(token, requestId);
  const size = pageSize(limit);
  const rows = await services.store.devices.listForUser(user.poolId, user.usernameKey, size + 1, after, filter);
  const page = slicePage(rows, size, (device) => device.deviceKey);
  return { Devices: page.items.map(toDeviceType), ...(page.next ? { PaginationToken: page.next } : {}) };
}

/** Sets a device remembered or not; a request without a status changes nothing. */
export async function setRememberedStatus(
  services: Services,
  device: DeviceRecord,
  status: DeviceRememberedStatusType | undefined,
): Promise<void> {
  if (status === undefined || status === device.rememberedStatus) return;
  await services.store.devices.update({ ...device, rememberedStatus: status, lastModifiedAt: services.clock.now() });
}
