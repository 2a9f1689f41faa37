import type { HostedHandler, HostedResponse } from './site.js';
import { sha256Hex } from '../crypto/compare.js';
import { authenticateClient, readClientCredentials } from './client-auth.js';
import { OAuthError } from './errors.js';
import { parseForm, TOKEN_RESPONSE_HEADERS } from './token.js';

/** The error codes of the revocation endpoint (RFC 7009 §2.2.1). */
type RevocationError = 'invalid_request' | 'invalid_client' | 'unsupported_token_type';

function revocationError(error: RevocationError): HostedResponse {
  // Cognito answers bad client credentials with 401 here (its token endpoint uses 400).
  return { status: error === 'invalid_client' ? 401 : 400, headers: { ...TOKEN_RESPONSE_HEADERS }, body: { error } };
}

/**
 * `POST /oauth2/revoke`: revokes a refresh token and every access and ID token issued from its
 * sign-in (its `origin_jti` family), which GetUser and userInfo then refuse. The client
 * authenticates as at the token endpoint and needs EnableTokenRevocation. As RFC 7009 asks, an
 * unknown or already revoked token is a success; an ID or access token is `unsupported_token_type`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export const revokeEndpoint: HostedHandler = async (services, site, request) => {
  try {
    const form = parseForm(request.contentType, request.body);
    const { client } = await authenticateClient(services, site.pool.id, readClientCredentials(request.headers.authorization, form));
    const token = form.get('token');
    if (!token || client.config.EnableTokenRevocation === false) return revocationError('invalid_request');
    // Refresh tokens are opaque; a JWT is an ID or access token, which cannot be revoked alone.
    if (token.split('.').length === 3) return revocationError('unsupported_token_type');
    const stored = await services.store.refreshTokens.get(sha256Hex(token));
    if (stored && stored.poolId === site.pool.id) {
      // A client may only revoke its own tokens (RFC 7009 §2.1).
      if (stored.clientId !== client.clientId) return revocationError('invalid_client');
      await services.store.refreshTokens.revokeFamily(stored.originJti, services.clock.now());
    }
    return { status: 200, headers: { ...TOKEN_RESPONSE_HEADERS }, body: '' };
  } catch (error) {
    if (error instanceof OAuthError) return revocationError(error.error === 'invalid_client' ? 'invalid_client' : 'invalid_request');
    throw error;
  }
};
