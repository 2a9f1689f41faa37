import type { Services } from '../../services.js';
import { CognitoError } from '../../errors/cognito-error.js';
import { authorizationErrorRedirect, completeAuthorization } from '../authorize.js';
import { errorPageRedirect } from '../error-page.js';
import type { HostedHandler, HostedResponse } from '../site.js';
import { signInFederatedUser } from './federated-user.js';
import { idpResponseUrl } from './start.js';
import { FEDERATION_STATE_TTL_MS, openFederationState } from './state.js';
import { UpstreamError, exchangeCode, upstreamIdentity } from './upstream.js';

/** Error codes of an authorization response (RFC 6749 §4.1.2.1) passed on to the client as they came. */
const PASSED_ON_ERRORS = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
]);

/** Longest upstream error description passed on; the rest is dropped. */
const MAX_DESCRIPTION = 200;

/** True the first time `key` is seen within `ttlMs` (the rate counters are shared by every node). */
async function firstUse(services: Services, key: string, ttlMs: number): Promise<boolean> {
  return (await services.store.rateCounters.hitSliding(key, ttlMs, services.clock.now())) === 1;
}

/**
 * `/oauth2/idpresponse`: where OAuth 2.0 / OIDC upstream providers send the browser back. The
 * sealed state says which authorization it finishes; state that does not open (tampered with,
 * expired, another pool's) or was already used gets the site's error page, never a redirect. Then
 * the code is exchanged, the identity verified and signed in (signInFederatedUser), and the
 * authorization completed for the client. An upstream error and every later failure go back to
 * the client's redirect URI as an OAuth error, as Cognito does. Sign in with Apple posts here
 * (`response_mode=form_post`), so POST is served too.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-oidc-flow.html
 */
export const idpResponseEndpoint: HostedHandler = async (services, site, request): Promise<HostedResponse> => {
  const params = request.method === 'POST' ? new URLSearchParams(request.body) : request.query;
  const sealed = params.get('state');
  const state = sealed ? openFederationState(services, site.pool.id, sealed) : undefined;
  if (!state || state.nonce === undefined || state.codeVerifier === undefined) return errorPageRedirect(site, 'invalid_request');
  const client = await services.store.clients.get(site.pool.id, state.clientId);
  const authorization = state.request;
  if (!client || !(client.config.CallbackURLs ?? []).includes(authorization.redirectUri)) {
    return errorPageRedirect(site, 'invalid_request', state.clientId);
  }
  if (!(await firstUse(services, `federation-state:${site.pool.id}:${state.nonce}`, FEDERATION_STATE_TTL_MS))) {
    return errorPageRedirect(site, 'invalid_request', state.clientId);
  }

  const fail = (error: string, description?: string): HostedResponse =>
    authorizationErrorRedirect(authorization.redirectUri, error, {
      state: authorization.state,
      inFragment: authorization.responseType === 'token',
      ...(description !== undefined ? { description: description.slice(0, MAX_DESCRIPTION) } : {}),
    });

  const upstreamError = params.get('error');
  if (upstreamError !== null) {
    return fail(PASSED_ON_ERRORS.has(upstreamError) ? upstreamError : 'server_error', params.get('error_description') ?? upstreamError);
  }
  const provider = await services.store.identityProviders.get(site.pool.id, state.providerName);
  if (!provider || provider.type === 'SAML' || !(client.config.SupportedIdentityProviders ?? []).includes(provider.name)) {
    return fail('invalid_request', 'The identity provider is not available for this client');
  }
  const code = params.get('code');
  if (!code) return fail('invalid_request', 'Missing authorization code');

  try {
    const tokens = await exchangeCode(services, provider, code, idpResponseUrl(site), state.codeVerifier);
    const identity = await upstreamIdentity(services, provider, tokens, state.nonce);
    const user = await signInFederatedUser(services, site.pool, provider, identity, client.clientId);
    return await completeAuthorization(services, site, client, authorization, user, services.clock.now());
  } catch (error) {
    if (error instanceof UpstreamError || error instanceof CognitoError) return fail('invalid_request', error.message);
    services.logger.error({ err: error, poolId: site.pool.id, provider: provider.name }, 'federated sign-in failed');
    return fail('server_error', 'Unable to complete the sign-in with the identity provider');
  }
};
