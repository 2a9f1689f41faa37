import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.js';

/**
 * Which browser origins may use admin credentials here. A page on any site can send requests to a
 * developer's server on loopback, and the default admin keys are the well-known `local:local`, so
 * admin (SigV4) calls and `/_cognate/*` are refused to a cross-origin caller unless its origin is
 * in `adminOrigins`. Requests without an `Origin` header (the SDKs, the CLI, curl) are not
 * browsers' cross-origin calls and pass.
 */
export function adminOriginAllowed(request: FastifyRequest, services: Services): boolean {
  const origin = request.headers.origin;
  return origin === undefined || services.config.adminOrigins.includes(origin);
}

/**
 * Access-Control-Request-Headers without `authorization`, for a preflight from an origin that may
 * not make admin calls: the browser then sends no signed request at all. Public operations are
 * unsigned (Amplify, amazon-cognito-identity-js, the SDKs' noAuth operations) and need no more.
 */
export function withoutAuthorization(requested: string): string {
  return requested
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name.toLowerCase() !== 'authorization')
    .join(', ');
}
