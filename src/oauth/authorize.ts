import type { AuthenticationResultType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserRecord } from '../store/ports.js';
import type { HostedResponse, HostedSite } from './site.js';
import { redirectTo } from './site.js';
import { sha256Hex } from '../crypto/compare.js';
import { newUuid } from '../lib/ids.js';
import { issueTokens } from '../tokens/issue.js';
import { isTriggerFailure } from '../triggers/outcome.js';
import { errorPageRedirect } from './error-page.js';
import { loginSessionCookie } from './login-session.js';
import { grantableCustomScopes, RESERVED_SCOPES, splitScopes } from './scopes.js';

/** An authorization request once validated against the client (RFC 6749 §4.1.1, §4.2.1; OIDC Core §3.1.2.1). */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  /** The scopes granted, in the order asked (the client's allowed scopes when none were asked). */
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  identityProvider?: string;
  idpIdentifier?: string;
  prompt?: string;
  lang?: string;
}

/** A valid request and its client, or the response to send (an error redirect or an error page). */
export type ParsedAuthorization =
  { ok: true; client: UserPoolClientRecord; request: AuthorizationRequest } | { ok: false; response: HostedResponse };

/** How long an authorization code can be exchanged: five minutes, as Cognito's. */
export const AUTHORIZATION_CODE_TTL_MS = 5 * 60_000;

/** The characters and length of a PKCE code challenge or verifier (RFC 7636 §4.1, §4.2). */
export const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/** Parameters that carry one value each; a second one makes the request malformed (RFC 6749 §3.1). */
const SINGLE_VALUED = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'identity_provider',
  'idp_identifier',
  'prompt',
  'lang',
] as const;

/** Appends parameters to a redirect URI, in its query or (implicit grant) its fragment. */
export function redirectWith(redirectUri: string, params: URLSearchParams, inFragment: boolean): string {
  const encoded = params.toString();
  if (inFragment) return `${redirectUri}#${encoded}`;
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`;
}

/**
 * An error answered to a redirect URI the client registered (RFC 6749 §4.1.2.1): `error`, then
 * the request's `state`; in the fragment for the implicit grant.
 */
export function authorizationErrorRedirect(
  redirectUri: string,
  error: string,
  options: { state?: string | undefined; inFragment?: boolean; description?: string } = {},
): HostedResponse {
  const params = new URLSearchParams();
  if (options.description !== undefined) params.set('error_description', options.description);
  params.set('error', error);
  if (options.state !== undefined) params.set('state', options.state);
  return redirectTo(redirectWith(redirectUri, params, options.inFragment === true));
}

/** The scopes granted for the request, or the error to answer. */
async function grantScopes(services: Services, client: UserPoolClientRecord, asked: string[]): Promise<string[] | 'invalid_scope'> {
  const allowed = client.config.AllowedOAuthScopes ?? [];
  const custom = await grantableCustomScopes(services, client);
  const grantable = allowed.filter((scope) => RESERVED_SCOPES.has(scope) || custom.includes(scope));
  if (asked.length === 0) return grantable.length > 0 ? grantable : 'invalid_scope';
  if (asked.some((scope) => !grantable.includes(scope))) return 'invalid_scope';
  // The OIDC scopes name claims of the ID token, which only `openid` brings.
  if (!asked.includes('openid') && asked.some((scope) => scope === 'email' || scope === 'phone' || scope === 'profile')) {
    return 'invalid_scope';
  }
  return asked;
}

function optional(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/**
 * Validates the parameters of `/oauth2/authorize` (also carried by `/login` and the other pages):
 * client, exact redirect URI, response type against AllowedOAuthFlows, scopes against
 * AllowedOAuthScopes, PKCE. Errors that cannot be trusted to redirect (unknown client, unregistered
 * redirect URI) answer an error page, never a redirect.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export async function parseAuthorizationRequest(
  services: Services,
  site: HostedSite,
  query: URLSearchParams,
): Promise<ParsedAuthorization> {
  const clientId = query.get('client_id');
  const client = clientId ? await services.store.clients.get(site.pool.id, clientId) : undefined;
  if (!clientId || !client) return { ok: false, response: errorPageRedirect(site, 'invalid_request', clientId) };
  // Only an exact match with a registered callback URL is trusted with a redirect, errors included.
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri || query.getAll('redirect_uri').length > 1 || !(client.config.CallbackURLs ?? []).includes(redirectUri)) {
    return { ok: false, response: errorPageRedirect(site, 'redirect_mismatch', clientId) };
  }

  const rawType = query.get('response_type');
  const inFragment = rawType === 'token';
  const state = query.get('state') ?? undefined;
  const fail = (error: string): ParsedAuthorization => ({
    ok: false,
    response: authorizationErrorRedirect(redirectUri, error, { state, inFragment }),
  });

  if (SINGLE_VALUED.some((name) => query.getAll(name).length > 1)) return fail('invalid_request');
  if (!rawType) return fail('invalid_request');
  if (rawType !== 'code' && rawType !== 'token') return fail('unsupported_response_type');
  const flows = client.config.AllowedOAuthFlows ?? [];
  if (client.config.AllowedOAuthFlowsUserPoolClient !== true || !flows.includes(rawType === 'code' ? 'code' : 'implicit')) {
    return fail('unauthorized_client');
  }

  const codeChallenge = optional(query, 'code_challenge');
  const method = optional(query, 'code_challenge_method');
  // Cognito supports S256 only: `plain`, a method without a challenge or the reverse is malformed.
  if ((codeChallenge !== undefined || method !== undefined) && (method !== 'S256' || !codeChallenge || !PKCE_VALUE.test(codeChallenge))) {
    return fail('invalid_request');
  }

  const scopes = await grantScopes(services, client, splitScopes(query.get('scope')));
  if (scopes === 'invalid_scope') return fail('invalid_scope');

  const request: AuthorizationRequest = { clientId, redirectUri, responseType: rawType, scopes };
  if (state !== undefined) request.state = state;
  const nonce = optional(query, 'nonce');
  if (nonce !== undefined) request.nonce = nonce;
  if (codeChallenge !== undefined) {
    request.codeChallenge = codeChallenge;
    request.codeChallengeMethod = 'S256';
  }
  const identityProvider = optional(query, 'identity_provider');
  if (identityProvider !== undefined) request.identityProvider = identityProvider;
  const idpIdentifier = optional(query, 'idp_identifier');
  if (idpIdentifier !== undefined) request.idpIdentifier = idpIdentifier;
  const prompt = optional(query, 'prompt');
  if (prompt !== undefined) request.prompt = prompt;
  const lang = optional(query, 'lang');
  if (lang !== undefined) request.lang = lang;
  return { ok: true, client, request };
}

/** The query that carries `request` through the login pages back to `/oauth2/authorize`. */
export function authorizationQuery(request: AuthorizationRequest): URLSearchParams {
  const query = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: request.responseType,
    scope: request.scopes.join(' '),
  });
  const optionalParams: Array<[string, string | undefined]> = [
    ['state', request.state],
    ['nonce', request.nonce],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', request.codeChallengeMethod],
    ['identity_provider', request.identityProvider],
    ['idp_identifier', request.idpIdentifier],
    ['prompt', request.prompt],
    ['lang', request.lang],
  ];
  for (const [name, value] of optionalParams) if (value !== undefined) query.set(name, value);
  return query;
}

/**
 * Finishes an authorization for a signed-in user: a single-use code (response_type=code) or tokens
 * in the fragment (token), redirected to the request's redirect URI with its state, and the
 * managed-login session cookie set so the user's next authorization skips the sign-in page. A
 * session that goes on passes its `sessionId`; a new sign-in starts a session of its own.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
export async function completeAuthorization(
  services: Services,
  site: HostedSite,
  client: UserPoolClientRecord,
  request: AuthorizationRequest,
  user: UserRecord,
  authTime: number,
  sessionId: string = newUuid(),
): Promise<HostedResponse> {
  const cookie = loginSessionCookie(services, site, { id: sessionId, poolId: site.pool.id, usernameKey: user.usernameKey, authTime });
  const params = new URLSearchParams();
  if (request.responseType === 'code') {
    const code = newUuid();
    const now = services.clock.now();
    await services.store.authorizationCodes.insert({
      codeHash: sha256Hex(code),
      poolId: site.pool.id,
      clientId: client.clientId,
      usernameKey: user.usernameKey,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      nonce: request.nonce ?? null,
      codeChallenge: request.codeChallenge ?? null,
      codeChallengeMethod: request.codeChallengeMethod ?? null,
      authTime,
      originJti: newUuid(),
      expiresAt: now + AUTHORIZATION_CODE_TTL_MS,
      consumedAt: null,
      createdAt: now,
    });
    params.set('code', code);
  } else {
    // The implicit grant hands the tokens to the browser, so it never includes a refresh token.
    let tokens: AuthenticationResultType;
    try {
      tokens = await issueTokens(services, {
        source: 'TokenGeneration_HostedAuth',
        pool: site.pool,
        client,
        user,
        authTime,
        scopes: request.scopes,
        refresh: 'none',
        idToken: request.scopes.includes('openid'),
        ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
        atHash: true,
      });
    } catch (error) {
      // A refusing pre token generation trigger is told to the client, as Cognito tells it.
      if (!isTriggerFailure(error)) throw error;
      return authorizationErrorRedirect(request.redirectUri, 'invalid_request', {
        state: request.state,
        inFragment: true,
        description: error.message,
      });
    }
    if (tokens.IdToken !== undefined) params.set('id_token', tokens.IdToken);
    params.set('access_token', tokens.AccessToken ?? '');
    params.set('expires_in', String(tokens.ExpiresIn ?? 0));
    params.set('token_type', 'Bearer');
  }
  if (request.state !== undefined) params.set('state', request.state);
  return redirectTo(redirectWith(request.redirectUri, params, request.responseType === 'token'), { 'set-cookie': cookie });
}
