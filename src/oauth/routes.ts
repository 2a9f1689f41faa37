import type { HostedResponse, HostedRoute } from './site.js';
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from './token.js';

/**
 * Every endpoint of a pool's domain, the one table the HTTP layer serves: the OAuth 2.0 and OIDC
 * endpoints, the managed login pages and the federation callbacks. Add a route here to serve it.
 */
export const HOSTED_ROUTES: readonly HostedRoute[] = [
  {
    method: 'POST',
    path: '/oauth2/token',
    handler: async (services, site, request): Promise<HostedResponse> => {
      const result = await tokenEndpoint(services, {
        poolId: site.pool.id,
        contentType: request.contentType,
        authorization: request.headers.authorization,
        body: request.body,
      });
      return { status: result.status, headers: { ...TOKEN_RESPONSE_HEADERS }, body: result.body };
    },
  },
];
