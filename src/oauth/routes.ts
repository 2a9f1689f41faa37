import type { HostedResponse, HostedRoute } from './site.js';
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from './token.js';
import { authorizeEndpoint } from './authorize-endpoint.js';
import { userInfoEndpoint } from './userinfo.js';
import { revokeEndpoint } from './revoke.js';
import { logoutEndpoint } from './logout.js';
import { errorPage } from './error-page.js';
import { samlResponseEndpoint } from './federation/saml-response.js';
import { samlLogoutEndpoint } from './federation/saml-logout.js';
import { idpResponseEndpoint } from './federation/idp-response.js';
import { LOGO_PATH, brandingLogoEndpoint } from './branding-logo.js';
import { MANAGED_LOGIN_ASSET_PATH, managedLoginAssetEndpoint } from './managed-login-asset.js';
import { PAGE_ROUTES } from '../pages/routes.js';

/**
 * Every endpoint of a pool's domain, the one table the HTTP layer serves: the OAuth 2.0 and OIDC
 * endpoints, the managed login pages and the federation callbacks. Add a route here to serve it.
 */
export const HOSTED_ROUTES: readonly HostedRoute[] = [
  { method: 'GET', path: LOGO_PATH, handler: brandingLogoEndpoint },
  { method: 'GET', path: MANAGED_LOGIN_ASSET_PATH, handler: managedLoginAssetEndpoint },
  ...PAGE_ROUTES,
  {
    method: 'POST',
    path: '/oauth2/token',
    cors: true,
    handler: async (services, site, request): Promise<HostedResponse> => {
      const result = await tokenEndpoint(services, {
        pool: site.pool,
        contentType: request.contentType,
        authorization: request.headers.authorization,
        body: request.body,
      });
      return { status: result.status, headers: { ...TOKEN_RESPONSE_HEADERS }, body: result.body };
    },
  },
  { method: 'GET', path: '/oauth2/authorize', handler: authorizeEndpoint },
  { method: 'GET', path: '/oauth2/userInfo', handler: userInfoEndpoint, cors: true },
  { method: 'POST', path: '/oauth2/userInfo', handler: userInfoEndpoint, cors: true },
  { method: 'POST', path: '/oauth2/revoke', handler: revokeEndpoint, cors: true },
  { method: 'GET', path: '/logout', handler: logoutEndpoint },
  { method: 'GET', path: '/error', handler: errorPage },
  { method: 'POST', path: '/saml2/idpresponse', handler: samlResponseEndpoint },
  { method: 'POST', path: '/saml2/logout', handler: samlLogoutEndpoint },
  { method: 'GET', path: '/oauth2/idpresponse', handler: idpResponseEndpoint },
  { method: 'POST', path: '/oauth2/idpresponse', handler: idpResponseEndpoint },
];
