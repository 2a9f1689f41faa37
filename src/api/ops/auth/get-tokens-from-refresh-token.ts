import { defineOperation } from '../../define-operation.js';
import { requireClientById } from '../../lookup.js';
import { checkClientSecret } from '../../../auth/steps/secret-hash.js';
import { rotatesRefreshTokens } from '../../../auth/steps/client-flows.js';
import { loadRefreshToken, redeemRefreshToken } from '../../../tokens/refresh.js';

/**
 * GetTokensFromRefreshToken: new ID and access tokens from a refresh token; with refresh-token
 * rotation on the client, also a new refresh token, the old one lapsing after the grace period.
 * A client with a secret sends it in clear (ClientSecret), compared in constant time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 */
export const getTokensFromRefreshToken = defineOperation('GetTokensFromRefreshToken', async (input, { services }) => {
  const { client, pool } = await requireClientById(services, input.ClientId);
  checkClientSecret(client, input.ClientSecret);
  const found = await loadRefreshToken(services, pool, client, input.RefreshToken);
  const result = await redeemRefreshToken(services, pool, client, found, { rotate: rotatesRefreshTokens(client) });
  return { AuthenticationResult: result };
});
