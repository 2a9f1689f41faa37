import { createHash } from 'node:crypto';
import type { Services } from '../services.js';
import type { AuthorizationCodeRecord, UserPoolClientRecord, UserPoolRecord } from '../store/ports.js';
import { constantTimeEqual, sha256Hex } from '../crypto/compare.js';
import { issueTokens } from '../tokens/issue.js';
import { OAuthError } from './errors.js';
import { PKCE_VALUE } from './authorize.js';

/** The response of a code or refresh grant, in the key order of Cognito's samples. */
export function tokenResponseBody(tokens: {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}): Record<string, unknown> {
  return {
    ...(tokens.IdToken !== undefined ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    ...(tokens.RefreshToken !== undefined ? { refresh_token: tokens.RefreshToken } : {}),
    expires_in: tokens.ExpiresIn,
    token_type: 'Bearer',
  };
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) equals the challenge. */
function verifierMatches(verifier: string, challenge: string): boolean {
  return constantTimeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}

/**
 * A code presented a second time: as RFC 6749 §4.1.2 suggests, the tokens the first exchange gave
 * are revoked (their family), since one of the two presenters is not the client.
 */
async function replayed(services: Services, code: AuthorizationCodeRecord): Promise<never> {
  await services.store.refreshTokens.revokeFamily(code.originJti, services.clock.now());
  throw new OAuthError('invalid_grant');
}

/**
 * `grant_type=authorization_code`: exchanges a code from `/oauth2/authorize` for tokens. The code
 * works once and for five minutes, only for the client it was issued to and with the same
 * `redirect_uri`; with PKCE, the `code_verifier` must match the challenge, and without it no
 * `code_verifier` may come (RFC 9700 §2.1.1). The code is spent
 * before the other checks, so a wrong verifier cannot be retried. The ID token comes with the
 * `openid` scope and carries the request's `nonce`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export async function authorizationCodeGrant(
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  form: URLSearchParams,
): Promise<Record<string, unknown>> {
  if (client.config.AllowedOAuthFlowsUserPoolClient !== true || !(client.config.AllowedOAuthFlows ?? []).includes('code')) {
    throw new OAuthError('unauthorized_client');
  }
  const presented = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!presented || !redirectUri) throw new OAuthError('invalid_request');
  const verifier = form.get('code_verifier');
  if (verifier !== null && !PKCE_VALUE.test(verifier)) throw new OAuthError('invalid_request');

  const hash = sha256Hex(presented);
  const code = await services.store.authorizationCodes.get(hash);
  if (!code || code.poolId !== pool.id || code.clientId !== client.clientId) throw new OAuthError('invalid_grant');
  if (code.consumedAt !== null) return replayed(services, code);
  const now = services.clock.now();
  if (code.expiresAt <= now) throw new OAuthError('invalid_grant');
  if (!(await services.store.authorizationCodes.consume(hash, now))) return replayed(services, code);

  if (code.redirectUri !== redirectUri) throw new OAuthError('invalid_grant');
  if (code.codeChallenge !== null) {
    if (verifier === null) throw new OAuthError('invalid_request');
    if (!verifierMatches(verifier, code.codeChallenge)) throw new OAuthError('invalid_grant');
  } else if (verifier !== null) {
    // A verifier for a code issued without a challenge is a PKCE downgrade (RFC 9700 §2.1.1): an
    // attacker stripped the challenge from the authorization request, or injects a stolen code.
    throw new OAuthError('invalid_grant');
  }
  const user = await services.store.users.get(pool.id, code.usernameKey);
  if (!user || user.createdAt > code.createdAt || !user.enabled || code.authTime < user.tokensValidAfter) {
    throw new OAuthError('invalid_grant');
  }
  const tokens = await issueTokens(services, {
    source: 'TokenGeneration_HostedAuth',
    pool,
    client,
    user,
    authTime: code.authTime,
    originJti: code.originJti,
    scopes: code.scopes,
    refresh: 'new',
    idToken: code.scopes.includes('openid'),
    ...(code.nonce !== null ? { nonce: code.nonce } : {}),
    atHash: true,
  });
  return tokenResponseBody(tokens);
}
