/** The error codes of the token endpoint (RFC 6749 §5.2), as Cognito answers them. */
export type OAuthErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * An OAuth error a client may see: the body is `{"error": code}` alone. Cognito's token endpoint
 * answers every one of them with HTTP 400, `invalid_client` included (it does not use the 401 that
 * RFC 6749 §5.2 allows).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export class OAuthError extends Error {
  readonly status = 400;

  constructor(readonly error: OAuthErrorCode) {
    super(error);
    this.name = 'OAuthError';
  }
}
