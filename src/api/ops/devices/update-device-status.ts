import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { requireDevice, setRememberedStatus } from './device-shape.js';

/**
 * UpdateDeviceStatus: marks one of the signed-in user's devices remembered or not remembered
 * (the answer to the prompt of a user-opt-in pool).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateDeviceStatus.html
 */
export const updateDeviceStatus = defineOperation('UpdateDeviceStatus', async (input, { services }) => {
  const { user } = await authenticateAccessToken(services, input.AccessToken);
  const device = await requireDevice(services, user, input.DeviceKey);
  await setRememberedStatus(services, device, input.DeviceRememberedStatus);
  return {};
});
