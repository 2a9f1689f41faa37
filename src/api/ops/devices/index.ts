import type { AnyOperation } from '../../define-operation.js';
import { confirmDevice } from './confirm-device.js';
import { getDevice } from './get-device.js';
import { listDevices } from './list-devices.js';
import { forgetDevice } from './forget-device.js';
import { updateDeviceStatus } from './update-device-status.js';
import { adminGetDevice } from './admin-get-device.js';
import { adminListDevices } from './admin-list-devices.js';
import { adminForgetDevice } from './admin-forget-device.js';
import { adminUpdateDeviceStatus } from './admin-update-device-status.js';

/** The device operations, one module each. */
export const devicesOperations: readonly AnyOperation[] = [
  confirmDevice,
  getDevice,
  listDevices,
  forgetDevice,
  updateDeviceStatus,
  adminGetDevice,
  adminListDevices,
  adminForgetDevice,
  adminUpdateDeviceStatus,
];
