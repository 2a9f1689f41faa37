import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { requireDevice, toDeviceType } from './device-shape.js';

/**
 * AdminGetDevice: one of a user's tracked devices, remembered or not.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetDevice.html
 */
export const adminGetDevice = defineOperation('AdminGetDevice', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  return { Device: toDeviceType(await requireDevice(services, user, input.DeviceKey)) };
});
