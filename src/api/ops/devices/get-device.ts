import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { requireDevice, toDeviceType } from './device-shape.js';

/**
 * GetDevice: one of the signed-in user's tracked devices; any other key (unknown, unconfirmed,
 * another user's) is "Device does not exist.".
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetDevice.html
 */
export const getDevice = defineOperation('GetDevice', async (input, { services }) => {
  // AccessToken is optional in the model only; without one the caller is nobody.
  const { user } = await authenticateAccessToken(services, input.AccessToken ?? '');
  return { Device: toDeviceType(await requireDevice(services, user, input.DeviceKey)) };
});
