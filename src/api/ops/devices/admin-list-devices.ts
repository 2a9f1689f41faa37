import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { listDevicePage } from './device-shape.js';

/**
 * AdminListDevices: every device tracked for a user, remembered or not (their
 * `dev:device_remembered_status` attribute tells which), where ListDevices shows the user only the
 * remembered ones.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListDevices.html
 */
export const adminListDevices = defineOperation('AdminListDevices', async (input, { services, requestId }) => {
  const { user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  return listDevicePage(services, user, { status: 'confirmed' }, input.Limit, input.PaginationToken, requestId);
});
