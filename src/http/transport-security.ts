import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

/** One year, subdomains included: what browsers' preload lists ask of a site. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Adds `Strict-Transport-Security` to every answer sent over HTTPS: the server's own TLS, or the
 * trusted proxy's (`X-Forwarded-Proto: https` with trustProxy). Never on plain HTTP, where the
 * header means nothing and would only mislead. A server that can see no HTTPS request adds no hook.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6797
 */
export function registerTransportSecurity(app: FastifyInstance, services: Services, https: boolean): void {
  if (!https && !services.config.trustProxy) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
