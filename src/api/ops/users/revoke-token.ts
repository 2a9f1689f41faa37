import { defineOperation } from '../../define-operation.js';
import {
  UnauthorizedException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
} from '../../../generated/cognito-idp/errors.js';
import { constantTimeEqual, sha256Hex } from '../../../crypto/compare.js';

/*
 * No captured AWS response gives these texts; they are best guesses. The exception types follow
 * the operation's model and the /oauth2/revoke endpoint it mirrors (invalid_client is 401, a
 * disabled feature invalid_request, a token that is not a refresh token unsupported_token_type).
 */
const INVALID_CLIENT = 'Invalid client or secret';

/**
 * RevokeToken: revokes a refresh token and every access and ID token issued from its sign-in
 * (its `origin_jti` family); those access tokens then answer "Access Token has been revoked".
 * Other sessions of the user are untouched. As RFC 7009 asks, a token that is unknown, expired
 * or already revoked is a success. A token issued to another client is refused.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html
 */
export const revokeToken = defineOperation('RevokeToken', async (input, { services }) => {
  const client = await services.store.clients.getById(input.ClientId);
  if (!client) throw new UnauthorizedException(INVALID_CLIENT);
  if (client.secrets.length > 0) {
    let ok = false;
    // Every active secret is compared, so the time taken does not say which one matched.
    for (const { secret } of client.secrets)
      if (input.ClientSecret !== undefined && constantTimeEqual(secret, input.ClientSecret)) ok = true;
    if (!ok) throw new UnauthorizedException(INVALID_CLIENT);
  }
  if (client.config.EnableTokenRevocation === false) {
    throw new UnsupportedOperationException('Token revocation is not enabled for this app client.');
  }
  // Refresh tokens are opaque; a JWT here is an ID or access token, which cannot be revoked alone.
  if (input.Token.split('.').length === 3) {
    throw new UnsupportedTokenTypeException('Unsupported token type. Only refresh tokens can be revoked.');
  }
  const stored = await services.store.refreshTokens.get(sha256Hex(input.Token));
  if (!stored) return {};
  if (stored.clientId !== client.clientId) throw new UnauthorizedException(`The refresh token was not issued to client ${client.clientId}`);
  await services.store.refreshTokens.revokeFamily(stored.originJti, services.clock.now());
  return {};
});
