import { checkSecretHash, assertSecretHashPresent } from '../steps/secret-hash.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { invalidRefreshToken, loadRefreshToken, redeemRefreshToken } from '../../tokens/refresh.js';
import { refreshTokenDeviceAllowed } from '../devices.js';
import type { AuthFlowHandler } from './types.js';

/**
 * REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN): new ID and access tokens from a refresh token,
 * keeping the session's `auth_time` and `origin_jti`, with no new refresh token. SECRET_HASH is made
 * with the internal username (`cognito:username`), which only the token knows, so it is checked
 * once the token is found. A token bound to a device needs that device's DEVICE_KEY.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
export const refreshTokenFlow: AuthFlowHandler = {
  flows: ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'],
  async start(ctx, parameters) {
    const token = requireParameter(parameters, 'REFRESH_TOKEN');
    const secretHash = optionalParameter(parameters, 'SECRET_HASH');
    assertSecretHashPresent(ctx.client, secretHash);
    const found = await loadRefreshToken(ctx.services, ctx.pool, ctx.client, token);
    const typed = optionalParameter(parameters, 'USERNAME');
    checkSecretHash(ctx.client, secretHash, [found.user.username, found.user.sub, ...(typed ? [typed] : [])]);
    if (!(await refreshTokenDeviceAllowed(ctx.services, found.user, found.record.deviceKey, optionalParameter(parameters, 'DEVICE_KEY')))) {
      throw invalidRefreshToken();
    }
    const result = await redeemRefreshToken(ctx.services, ctx.pool, ctx.client, found, {
      rotate: false,
      clientMetadata: ctx.clientMetadata,
    });
    return { kind: 'tokens', result };
  },
};
