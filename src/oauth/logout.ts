import type { HostedHandler, HostedResponse } from './site.js';
import { redirectTo } from './site.js';
import { authorizationQuery, parseAuthorizationRequest } from './authorize.js';
import { errorPageRedirect } from './error-page.js';
import { clearLoginSessionCookie, endLoginSession } from './login-session.js';
import { samlSingleLogoutUrl } from './federation/saml-logout.js';
import { SAML_SESSION_COOKIE, clearSamlSessionCookie } from './federation/saml-session.js';

/**
 * `GET /logout`: ends the managed-login session on this site (on the server, not only the cookie), then either returns the browser to
 * `logout_uri` (which must be one of the client's sign-out URLs exactly; the other parameters are
 * then ignored) or, given `redirect_uri` and `response_type` instead, sends it to the sign-in page
 * with those authorization parameters, so another user can sign in. A client or URI that does not
 * check out gets the error page, never a redirect elsewhere. A session that came from a SAML IdP
 * with IDPSignout "true" is first signed out there (single logout), by way of `/saml2/logout`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-sign-out.html
 */
export const logoutEndpoint: HostedHandler = async (services, site, request) => {
  const query = request.query;
  const clientId = query.get('client_id');
  const client = clientId ? await services.store.clients.get(site.pool.id, clientId) : undefined;
  if (!clientId || !client) return errorPageRedirect(site, 'invalid_request', clientId);
  const clear = {
    'set-cookie': request.cookies.has(SAML_SESSION_COOKIE)
      ? [clearLoginSessionCookie(site), clearSamlSessionCookie(site)]
      : clearLoginSessionCookie(site),
  };
  // A user who signed in through a SAML IdP with IDPSignout "true" signs out there too, then comes back to `target`.
  // The session ends on the server as well as in this browser: a copy of the cookie is worth nothing after.
  const leave = async (target: string): Promise<HostedResponse> => {
    const location = (await samlSingleLogoutUrl(services, site, request, target)) ?? target;
    await endLoginSession(services, site, request);
    return redirectTo(location, clear);
  };

  const logoutUri = query.get('logout_uri');
  if (logoutUri !== null) {
    if (query.getAll('logout_uri').length > 1 || !(client.config.LogoutURLs ?? []).includes(logoutUri)) {
      return errorPageRedirect(site, 'redirect_mismatch', clientId);
    }
    return leave(logoutUri);
  }
  if (query.get('redirect_uri') === null) return errorPageRedirect(site, 'invalid_request', clientId);
  const parsed = await parseAuthorizationRequest(services, site, query);
  if (!parsed.ok) return parsed.response;
  return leave(`${site.baseUrl}/login?${authorizationQuery(parsed.request).toString()}`);
};
