import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord } from '../store/ports.js';
import { NotAuthorizedException, RefreshTokenReuseException } from '../generated/cognito-idp/errors.js';
import { rotatesRefreshTokens } from '../auth/steps/client-flows.js';
import { refreshTokenDeviceAllowed } from '../auth/devices.js';
import { API_SCOPE } from '../tokens/issue.js';
import { loadRefreshToken, redeemRefreshToken } from '../tokens/refresh.js';
import { OAuthError } from './errors.js';
import { tokenResponseBody } from './authorization-code-grant.js';

/**
 * `grant_type=refresh_token`: new ID and access tokens from a refresh token, by the same rules as
 * REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken (the token's client, not revoked, expired or
 * rotated out, its user still enabled). A new refresh token comes back only when the client
 * rotates them. Tokens from a sign-in without `openid` get no ID token; those of the API flows do
 * (an OAuth sign-in granted the API scope alone cannot be told from them, and gets one too).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
export async function refreshTokenGrant(
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  form: URLSearchParams,
): Promise<Record<string, unknown>> {
  if (client.config.AllowedOAuthFlowsUserPoolClient !== true) throw new OAuthError('unauthorized_client');
  const token = form.get('refresh_token');
  if (!token) throw new OAuthError('invalid_request');
  try {
    const found = await loadRefreshToken(services, pool, client, token);
    // A token bound to a remembered device needs its DEVICE_KEY, which this endpoint cannot carry.
    if (!(await refreshTokenDeviceAllowed(services, found.user, found.record.deviceKey, undefined))) throw new OAuthError('invalid_grant');
    const tokens = await redeemRefreshToken(services, pool, client, found, { rotate: rotatesRefreshTokens(client) });
    const scopes = found.record.scopes;
    const apiSession = scopes.length === 1 && scopes[0] === API_SCOPE;
    if (!apiSession && !scopes.includes('openid')) delete tokens.IdToken;
    return tokenResponseBody(tokens);
  } catch (error) {
    if (error instanceof NotAuthorizedException || error instanceof RefreshTokenReuseException) throw new OAuthError('invalid_grant');
    throw error;
  }
}
