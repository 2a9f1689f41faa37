import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import type { HostedRequest, HostedResponse, HostedRoute, HostedSite } from '../oauth/site.js';
import { CORS_RESPONSE_HEADERS, corsPreflight } from '../oauth/cors.js';
import { HOSTED_ROUTES } from '../oauth/routes.js';
import { parseCookies } from '../lib/cookies.js';

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** The host name of a `Host` header, lowercased, without its port. */
function hostName(host: string | undefined): string {
  if (!host) return '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return name.toLowerCase();
}

/**
 * The pool a `Host` names: a custom domain, or a prefix domain under the configured login domain.
 * The server's own host (that of the public URL) never names a pool, and costs no lookup.
 */
async function siteByHost(services: Services, request: FastifyRequest, ownHost: string): Promise<HostedSite | undefined> {
  const host = hostName(request.headers.host);
  if (host === '' || host === ownHost) return undefined;
  const suffix = `.${services.config.loginDomain}`;
  const name = host.endsWith(suffix) ? host.slice(0, -suffix.length) : host;
  const domain = await services.store.domains.get(name);
  if (!domain || (domain.kind === 'prefix') !== host.endsWith(suffix)) return undefined;
  const pool = await services.store.pools.get(domain.poolId);
  if (!pool) return undefined;
  const secure = request.protocol === 'https';
  return { pool, baseUrl: `${secure ? 'https' : 'http'}://${request.headers.host ?? host}`, via: 'host', cookiePath: '/', secure };
}

function toHostedRequest(request: FastifyRequest, path: string): HostedRequest {
  const url = request.url;
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    method: request.method,
    path,
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    body: typeof request.body === 'string' ? request.body : '',
    contentType: request.headers['content-type'],
    headers,
    cookies: parseCookies(request.headers.cookie),
    ip: request.ip,
  };
}

function send(reply: FastifyReply, response: HostedResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  const body = response.body;
  if (body === undefined) return reply.send();
  if (typeof body === 'string' || Buffer.isBuffer(body)) return reply.send(body);
  return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/**
 * Serves the hosted endpoints of {@link HOSTED_ROUTES} for every pool, reached by `Host` (custom
 * and prefix domains) or by the path prefix `/<poolId>`. A scope of its own reads every body as
 * text (the endpoints parse their own forms) and answers unknown paths with a plain 404. On the
 * paths of routes marked `cors`, every answer is readable from any origin and CORS preflights are
 * answered.
 */
export function registerHosted(app: FastifyInstance, services: Services): void {
  const byPath = new Map<string, HostedRoute[]>();
  for (const route of HOSTED_ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  const corsPaths = HOSTED_ROUTES.filter((route) => route.cors).map((route) => route.path);

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
      if (!clientError) services.logger.error({ err: error, requestId: request.id }, 'unhandled error');
      // A body the endpoint never saw (too large, unreadable) is refused readably for browser apps too.
      const pathname = request.url.split('?')[0] ?? '/';
      if (corsPaths.some((path) => pathname.endsWith(path))) reply.headers(CORS_RESPONSE_HEADERS);
      void reply
        .code(clientError ? 400 : 500)
        .header('cache-control', 'no-store')
        .send({ error: clientError ? 'invalid_request' : 'server_error' });
    });

    // The public URL is set once the port is known, so its host is read again only when it changed.
    let ownUrl = '';
    let ownHost = '';
    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      if (services.publicUrl() !== ownUrl) {
        ownUrl = services.publicUrl();
        ownHost = hostName(new URL(ownUrl).host);
      }
      const pathname = request.url.split('?')[0] ?? '/';
      let site = await siteByHost(services, request, ownHost);
      let path = pathname;
      if (!site) {
        const second = pathname.indexOf('/', 1);
        const poolId = decodeURIComponent(pathname.slice(1, second < 0 ? undefined : second));
        const pool = POOL_ID.test(poolId) ? await services.store.pools.get(poolId) : undefined;
        if (!pool) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
        path = second < 0 ? '/' : pathname.slice(second);
        const secure = request.protocol === 'https';
        site = { pool, baseUrl: `${services.publicUrl()}/${pool.id}`, via: 'path', cookiePath: `/${pool.id}`, secure };
      }
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      const onPath = byPath.get(path) ?? [];
      const cors = onPath.some((r) => r.cors === true);
      if (cors) reply.headers(CORS_RESPONSE_HEADERS);
      const route = onPath.find((r) => r.method === method);
      if (!route) {
        const methods = onPath.map((r) => r.method);
        if (method === 'OPTIONS' && cors) return send(reply, corsPreflight(methods));
        // A known path asked with another method is 405, as Cognito answers on its token endpoint.
        if (methods.length > 0) return reply.code(405).header('allow', methods.join(', ')).send();
        return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
      }
      return send(reply, await route.handler(services, site, toHostedRequest(request, path)));
    };

    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    scope.route({ method: methods, url: '/:poolId/*', handler: handle });
    scope.route({ method: methods, url: '/:poolId', handler: handle });
  });
}
