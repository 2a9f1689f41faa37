import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import type { HostedRequest, HostedResponse, HostedRoute, HostedSite } from '../oauth/site.js';
import { CORS_RESPONSE_HEADERS, corsPreflight } from '../oauth/cors.js';
import { HOSTED_ROUTES } from '../oauth/routes.js';
import { parseCookies } from '../lib/cookies.js';
import { isLoopback } from '../config/load.js';

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * The `Host` values a hosted endpoint accepts: a DNS name or IPv4 address, or a bracketed IPv6
 * address, with an optional port. Nothing else may ride along (userinfo, a path, a second host),
 * since a host-form site builds its links from this value.
 */
const HOST_FORM = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;

/** The host name of a `Host` header, lowercased, without its port. */
function hostName(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return name.toLowerCase();
}

/** The host name of the public URL, and whether it is a loopback one. */
interface OwnHost {
  name: string;
  loopback: boolean;
}

function isLoopbackName(name: string): boolean {
  return isLoopback(name.startsWith('[') ? name.slice(1, -1) : name);
}

/**
 * What a request's host names: a pool's site (a custom domain, or a prefix domain under the
 * configured login domain), the server's own host (`path`: the pool comes from the path), a host
 * of none of these forms (`malformed`) or a well-formed host that is none of ours (`unknown`).
 * The server's own host is that of the public URL; when that is a loopback one, so is every
 * loopback name, since path-form links are built from the public URL and never from the request.
 * The host is Fastify's `request.host`: `X-Forwarded-Host` when the proxy is trusted (trustProxy).
 */
async function resolveHost(
  services: Services,
  request: FastifyRequest,
  own: OwnHost,
): Promise<HostedSite | 'path' | 'malformed' | 'unknown'> {
  const host = request.host;
  if (!HOST_FORM.test(host)) return 'malformed';
  const name = hostName(host);
  if (name === own.name || (own.loopback && isLoopbackName(name))) return 'path';
  const suffix = `.${services.config.loginDomain}`;
  const domainName = name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
  const domain = await services.store.domains.get(domainName);
  if (!domain || (domain.kind === 'prefix') !== name.endsWith(suffix)) return 'unknown';
  const pool = await services.store.pools.get(domain.poolId);
  if (!pool) return 'unknown';
  const secure = request.protocol === 'https';
  return { pool, baseUrl: `${secure ? 'https' : 'http'}://${host.toLowerCase()}`, via: 'host', cookiePath: '/', secure };
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
 * and prefix domains) or by the path prefix `/<poolId>` on the server's own host; any other host
 * is refused (see `resolveHost`). A scope of its own reads every body as
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

    const notFound = (reply: FastifyReply): FastifyReply =>
      reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');

    // The public URL is set once the port is known, so its host is read again only when it changed.
    let ownUrl = '';
    let own: OwnHost = { name: '', loopback: false };
    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      if (services.publicUrl() !== ownUrl) {
        ownUrl = services.publicUrl();
        const name = hostName(new URL(ownUrl).host);
        own = { name, loopback: isLoopbackName(name) };
      }
      const pathname = request.url.split('?')[0] ?? '/';
      const resolved = await resolveHost(services, request, own);
      // Neither answer repeats the host: a forged one must not end up in a page or a Location.
      if (resolved === 'malformed') return reply.code(400).header('content-type', 'text/plain; charset=utf-8').send('Bad request');
      if (resolved === 'unknown') return notFound(reply);
      let site = resolved === 'path' ? undefined : resolved;
      let path = pathname;
      if (!site) {
        const second = pathname.indexOf('/', 1);
        const poolId = decodeURIComponent(pathname.slice(1, second < 0 ? undefined : second));
        const pool = POOL_ID.test(poolId) ? await services.store.pools.get(poolId) : undefined;
        if (!pool) return notFound(reply);
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
        return notFound(reply);
      }
      request.operationName = `${route.method} ${route.path}`;
      return send(reply, await route.handler(services, site, toHostedRequest(request, path)));
    };

    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    scope.route({ method: methods, url: '/:poolId/*', handler: handle });
    scope.route({ method: methods, url: '/:poolId', handler: handle });
  });
}
