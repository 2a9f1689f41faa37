import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { requireDevice, setRememberedStatus } from './device-shape.js';

/**
 * AdminUpdateDeviceStatus: marks a user's device remembered or not remembered.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateDeviceStatus.html
 */
export const adminUpdateDeviceStatus = defineOperation('AdminUpdateDeviceStatus', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  const device = await requireDevice(services, user, input.DeviceKey);
  await setRememberedStatus(services, device, input.DeviceRememberedStatus);
  return {};
});
