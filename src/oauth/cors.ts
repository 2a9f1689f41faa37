import type { HostedResponse } from './site.js';

/**
 * What makes an answer readable by a browser app on any origin. AWS documents
 * `Access-Control-Allow-Origin: *` on the token endpoint and no per-origin policy; the same goes for
 * userInfo and revoke, which apps call the same way. No credentials mode: these endpoints take
 * tokens and client secrets in the request, never the managed-login cookie.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export const CORS_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'access-control-allow-origin': '*' });

/**
 * The request headers a preflight may ask for: the form's `content-type`, `authorization` (Basic
 * client credentials, or the Bearer token of userInfo) and Amplify's `x-amz-user-agent`. A fixed
 * list, not an echo of what was asked, since AWS's own list is not documented.
 */
const ALLOW_HEADERS = 'authorization, content-type, x-amz-user-agent';

/** How long a browser may reuse a preflight's answer, in seconds (Chromium caps it at 7200). */
const MAX_AGE = '600';

/**
 * The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) on an endpoint
 * that browser apps call across origins, granting the endpoint's own `methods`.
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function corsPreflight(methods: readonly string[]): HostedResponse {
  return {
    status: 204,
    headers: {
      ...CORS_RESPONSE_HEADERS,
      'access-control-allow-methods': methods.join(', '),
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': MAX_AGE,
    },
  };
}
