import { defineOperation } from '../../define-operation.js';
import { requireClientById } from '../../lookup.js';
import { checkClientSecret } from '../../../auth/steps/secret-hash.js';
import { rotatesRefreshTokens } from '../../../auth/steps/client-flows.js';
import { invalidRefreshToken, loadRefreshToken, redeemRefreshToken } from '../../../tokens/refresh.js';
import { refreshTokenDeviceAllowed } from '../../../auth/devices.js';

/**
 * GetTokensFromRefreshToken: new ID and access tokens from a refresh token; with refresh-token
 * rotation on the client, also a new refresh token, the old one lapsing after the grace period.
 * A client with a secret sends it in clear (ClientSecret), compared in constant time. A token bound
 * to a device needs that device's DeviceKey.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 */
export const getTokensFromRefreshToken = defineOperation('GetTokensFromRefreshToken', async (input, { services }) => {
  const { client, pool } = await requireClientById(services, input.ClientId);
  checkClientSecret(client, input.ClientSecret);
  const found = await loadRefreshToken(services, pool, client, input.RefreshToken);
  if (!(await refreshTokenDeviceAllowed(services, found.user, found.record.deviceKey, input.DeviceKey))) throw invalidRefreshToken();
  const result = await redeemRefreshToken(services, pool, client, found, {
    rotate: rotatesRefreshTokens(client),
    clientMetadata: input.ClientMetadata,
  });
  return { AuthenticationResult: result };
});
