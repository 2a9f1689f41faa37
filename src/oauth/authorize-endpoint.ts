import type { Services } from '../services.js';
import type { IdentityProviderRecord, UserPoolClientRecord } from '../store/ports.js';
import type { HostedHandler, HostedResponse, HostedSite } from './site.js';
import { redirectTo } from './site.js';
import type { AuthorizationRequest } from './authorize.js';
import { authorizationErrorRedirect, authorizationQuery, completeAuthorization, parseAuthorizationRequest } from './authorize.js';
import { readLoginSession } from './login-session.js';
import { federatedSignInRedirect } from './federation/start.js';

/** The identity provider name that stands for the pool's own users (managed login). */
const COGNITO = 'COGNITO';

/**
 * The upstream provider the request asks for (`identity_provider`, `idp_identifier`), or the only
 * one a client supports when it does not offer the pool's own sign-in. `undefined` means managed
 * login; `'invalid'` a provider the client may not use.
 */
async function upstreamProvider(
  services: Services,
  site: HostedSite,
  client: UserPoolClientRecord,
  request: AuthorizationRequest,
): Promise<IdentityProviderRecord | 'invalid' | undefined> {
  const supported = client.config.SupportedIdentityProviders ?? [];
  if (request.identityProvider !== undefined) {
    if (!supported.includes(request.identityProvider)) return 'invalid';
    if (request.identityProvider === COGNITO) return undefined;
    return (await services.store.identityProviders.get(site.pool.id, request.identityProvider)) ?? 'invalid';
  }
  if (request.idpIdentifier !== undefined) {
    const provider = await services.store.identityProviders.getByIdentifier(site.pool.id, request.idpIdentifier);
    return provider && supported.includes(provider.name) ? provider : 'invalid';
  }
  // A client whose only sign-in is one upstream provider goes straight there, as Cognito does.
  const only = supported.length === 1 ? supported[0] : undefined;
  if (only !== undefined && only !== COGNITO) return (await services.store.identityProviders.get(site.pool.id, only)) ?? undefined;
  return undefined;
}

/**
 * `GET /oauth2/authorize`: validates the request, then sends the browser to an upstream identity
 * provider when one is named (or is the client's only one), completes it at once for a user who
 * already signed in on this site (unless `prompt=login`), and otherwise to the sign-in page with the
 * same parameters. `prompt=none` without a session answers `login_required` (OIDC Core §3.1.2.6).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
export const authorizeEndpoint: HostedHandler = async (services, site, httpRequest) => {
  const parsed = await parseAuthorizationRequest(services, site, httpRequest.query);
  if (!parsed.ok) return parsed.response;
  const { client, request } = parsed;
  const fail = (error: string): HostedResponse =>
    authorizationErrorRedirect(request.redirectUri, error, { state: request.state, inFragment: request.responseType === 'token' });

  const explicitUpstream = request.identityProvider !== undefined || request.idpIdentifier !== undefined;
  const provider = await upstreamProvider(services, site, client, request);
  if (provider === 'invalid') return fail('invalid_request');
  if (provider && explicitUpstream) return federatedSignInRedirect(services, site, client, request, provider);

  if (request.prompt !== 'login') {
    const signedIn = await readLoginSession(services, site, httpRequest);
    if (signedIn) {
      return completeAuthorization(services, site, client, request, signedIn.user, signedIn.session.authTime, signedIn.session.id);
    }
  }
  if (request.prompt === 'none') return fail('login_required');
  if (provider) return federatedSignInRedirect(services, site, client, request, provider);
  return redirectTo(`${site.baseUrl}/login?${authorizationQuery(request).toString()}`);
};
