import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { listDevicePage } from './device-shape.js';

/**
 * ListDevices: the signed-in user's remembered devices. Devices confirmed but not remembered (a
 * user-opt-in pool before UpdateDeviceStatus) are left out, as both JS client libraries document
 * ("listDevices only returns remembered devices", amazon-cognito-identity-js PR #199; Amplify's
 * fetchDevices lists a device only after rememberDevice, aws-amplify/amplify-js PR #12171).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListDevices.html
 */
export const listDevices = defineOperation('ListDevices', async (input, { services, requestId }) => {
  const { user } = await authenticateAccessToken(services, input.AccessToken);
  return listDevicePage(
    services,
    user,
    { status: 'confirmed', rememberedStatus: 'remembered' },
    input.Limit,
    input.PaginationToken,
    requestId,
  );
});
