import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { requireDevice } from './device-shape.js';

/**
 * ForgetDevice: stops tracking one of the signed-in user's devices; it can no longer complete
 * device authentication.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgetDevice.html
 */
export const forgetDevice = defineOperation('ForgetDevice', async (input, { services }) => {
  // AccessToken is optional in the model only; without one the caller is nobody.
  const { user } = await authenticateAccessToken(services, input.AccessToken ?? '');
  const device = await requireDevice(services, user, input.DeviceKey);
  await services.store.devices.delete(device.poolId, device.deviceKey);
  return {};
});
