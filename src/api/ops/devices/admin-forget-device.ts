import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { requireDevice } from './device-shape.js';

/**
 * AdminForgetDevice: stops tracking a user's device; it can no longer complete device
 * authentication, so MFA applies again on it.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminForgetDevice.html
 */
export const adminForgetDevice = defineOperation('AdminForgetDevice', async (input, { services }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  const device = await requireDevice(services, user, input.DeviceKey);
  await services.store.devices.delete(device.poolId, device.deviceKey);
  return {};
});
