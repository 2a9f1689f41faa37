import type { HostedHandler } from './site.js';
import { redirectTo } from './site.js';
import { authorizationQuery, parseAuthorizationRequest } from './authorize.js';
import { errorPageRedirect } from './error-page.js';
import { clearLoginSessionCookie } from './login-session.js';

/**
 * `GET /logout`: ends the managed-login session on this site, then either returns the browser to
 * `logout_uri` (which must be one of the client's sign-out URLs exactly; the other parameters are
 * then ignored) or, given `redirect_uri` and `response_type` instead, sends it to the sign-in page
 * with those authorization parameters, so another user can sign in. A client or URI that does not
 * check out gets the error page, never a redirect elsewhere.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html
 */
export const logoutEndpoint: HostedHandler = async (services, site, request) => {
  const query = request.query;
  const clientId = query.get('client_id');
  const client = clientId ? await services.store.clients.get(site.pool.id, clientId) : undefined;
  if (!clientId || !client) return errorPageRedirect(site, 'invalid_request', clientId);
  const clear = { 'set-cookie': clearLoginSessionCookie(site) };

  const logoutUri = query.get('logout_uri');
  if (logoutUri !== null) {
    if (query.getAll('logout_uri').length > 1 || !(client.config.LogoutURLs ?? []).includes(logoutUri)) {
      return errorPageRedirect(site, 'redirect_mismatch', clientId);
    }
    return redirectTo(logoutUri, clear);
  }
  if (query.get('redirect_uri') === null) return errorPageRedirect(site, 'invalid_request', clientId);
  const parsed = await parseAuthorizationRequest(services, site, query);
  if (!parsed.ok) return parsed.response;
  return redirectTo(`${site.baseUrl}/login?${authorizationQuery(parsed.request).toString()}`, clear);
};
