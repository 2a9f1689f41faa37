import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import replyFrom from '@fastify/reply-from';
import type { Services } from '../services.js';
import type { Config } from '../config/schema.js';
import { corsHeaders, executeApiArn, matchRoute } from '../domain/gateway.js';
import { findApi } from '../gateway/apis.js';
import { cognitoClaims } from '../gateway/cognito-authorizer.js';
import { authorizeIamRequest } from '../gateway/iam-authorizer.js';
import {
  BAD_GATEWAY,
  INTEGRATION_TIMEOUT,
  MISSING_AUTHENTICATION_TOKEN,
  REQUEST_TOO_LARGE,
  UNAUTHORIZED,
  type GatewayAnswer,
} from '../gateway/answers.js';

/** The path prefix of the gateway's path form: `/_api/<apiId>/<stage>/...`. */
export const GATEWAY_PREFIX = '/_api/';

/**
 * The headers that carry what the authorizer found to the upstream, as JSON: for a Cognito
 * route `{"claims": {...}}` (API Gateway's `requestContext.authorizer`), for an IAM route the
 * caller (`requestContext.identity`). A client's own values of these headers are always dropped.
 */
export const AUTHORIZER_HEADER = 'x-cognate-authorizer';
export const IDENTITY_HEADER = 'x-cognate-identity';

/**
 * The path-form URL of a request that names an API by host, `<apiId>.execute-api.<gatewayDomain>`
 * (port ignored), or undefined for any other host. Used as Fastify's `rewriteUrl`, so both forms
 * reach one route; the signature is still checked against the URL the client sent.
 */
export function gatewayHostUrl(config: Pick<Config, 'gatewayDomain'>, host: string | undefined, url: string): string | undefined {
  if (host === undefined) return undefined;
  const name = (host.startsWith('[') ? host : (host.split(':')[0] ?? '')).toLowerCase();
  const suffix = `.execute-api.${config.gatewayDomain}`;
  if (!name.endsWith(suffix)) return undefined;
  const apiId = name.slice(0, -suffix.length);
  if (!/^[a-z0-9-]+$/.test(apiId)) return undefined;
  return `${GATEWAY_PREFIX}${apiId}${url.startsWith('/') ? url : `/${url}`}`;
}

function answer(reply: FastifyReply, response: GatewayAnswer, cors: Record<string, string> = {}): FastifyReply {
  return reply
    .code(response.status)
    .headers(cors)
    .header('content-type', 'application/json')
    .header('x-amzn-requestid', reply.request.id)
    .send(JSON.stringify(response.body));
}

/** A browser's preflight: OPTIONS with the method the real request will use. */
function isPreflight(request: FastifyRequest): boolean {
  return (
    request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined
  );
}

/** Reads a request body the gateway must see whole (to check its signature), up to `limit` bytes. */
async function readBody(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Hop-by-hop headers and ours are not forwarded; undici sets its own framing. */
const NOT_FORWARDED = ['transfer-encoding', 'keep-alive', 'proxy-connection', 'upgrade', 'te', AUTHORIZER_HEADER, IDENTITY_HEADER];

/** An upstream's answer headers without its own CORS ones: with CORS set on the API, the gateway's decide (as an HTTP API's do). */
function withoutCors(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')));
}

interface Forwarding {
  /** Headers added for the upstream. */
  readonly headers: Record<string, string>;
  /** A body read whole (IAM routes); otherwise the request's own stream is piped. */
  readonly body?: Buffer;
}

/**
 * The API gateway: `/_api/<apiId>/<stage>/<path>` (and the same by host, see `gatewayHostUrl`)
 * finds the API's route for the method and path, runs the route's authorizer, and forwards the
 * request to the API's upstream with @fastify/reply-from (undici), streaming bodies both ways.
 * Every refusal is API Gateway's own answer and reaches no upstream (src/gateway/answers.ts).
 */
export function registerGateway(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    // Its upstream connections close with the server, so a stopping node holds none open. Its own
    // two info lines per request are off: observe.ts writes the one request line, and upstream
    // failures are logged by onError below.
    await scope.register(replyFrom, { undici: { connections: 128, pipelining: 1 }, destroyAgent: true, disableRequestLogging: true });
    // Bodies stay streams: a Cognito or open route pipes them on unread, an IAM route reads them itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      request.operationName = 'gateway';
      const full = request.url;
      const q = full.indexOf('?');
      const pathname = q < 0 ? full : full.slice(0, q);
      const [apiId = '', stage = '', ...rest] = pathname.slice(GATEWAY_PREFIX.length).split('/');
      const path = `/${rest.join('/')}`;
      const api = await findApi(services, apiId);
      const staged = api !== undefined && api.stages.includes(stage);
      // An API with CORS answers every preflight itself, as an HTTP API does: no route, no authorizer, no upstream.
      if (staged && api.cors && isPreflight(request)) {
        const requested = {
          method: String(request.headers['access-control-request-method']),
          headers: request.headers['access-control-request-headers'],
        };
        return reply
          .code(204)
          .headers(corsHeaders(api.cors, request.headers.origin, requested))
          .header('x-amzn-requestid', request.id)
          .send();
      }
      const cors = staged ? corsHeaders(api.cors, request.headers.origin) : {};
      const match = staged ? matchRoute(api, request.method, path) : undefined;
      if (!api || !match) return answer(reply, MISSING_AUTHENTICATION_TOKEN, cors);
      const authorizer = match.route.authorizer;
      let forwarding: Forwarding = { headers: {} };
      if (authorizer.type === 'COGNITO_USER_POOLS') {
        const claims = await cognitoClaims(services, authorizer, request.headers.authorization);
        if (!claims) return answer(reply, UNAUTHORIZED, cors);
        forwarding = { headers: { [AUTHORIZER_HEADER]: JSON.stringify({ claims }) } };
      } else if (authorizer.type === 'AWS_IAM') {
        const body = request.body === undefined ? Buffer.alloc(0) : await readBody(request.body as Readable, services.config.bodyLimit);
        if (body === undefined) return answer(reply, REQUEST_TOO_LARGE, cors);
        const method = request.method;
        const resource = executeApiArn(services.config.region, services.config.accountId, api.id, stage, method, path);
        const signed = { method, path: request.originalUrl, headers: request.headers, body };
        const decision = await authorizeIamRequest(services, signed, resource, request.ip);
        if (!decision.allowed) return answer(reply, decision.answer, cors);
        forwarding = { headers: { [IDENTITY_HEADER]: JSON.stringify(decision.identity) }, body };
      }
      const bodyless = request.method === 'GET' || request.method === 'HEAD';
      return reply.from(`${api.upstream}${path}`, {
        timeout: services.config.gatewayTimeout,
        ...(forwarding.body !== undefined && !bodyless
          ? { body: forwarding.body, contentType: request.headers['content-type'] ?? 'application/octet-stream' }
          : {}),
        rewriteRequestHeaders: (_request, headers) => {
          const out: Record<string, string | string[] | undefined> = { ...headers };
          for (const name of NOT_FORWARDED) delete out[name];
          out['x-forwarded-for'] = request.ip;
          out['x-amzn-apigateway-api-id'] = api.id;
          return { ...out, ...forwarding.headers };
        },
        rewriteHeaders: (headers) => {
          const out: Record<string, string | string[] | undefined> = {
            ...(api.cors ? withoutCors(headers) : headers),
            ...cors,
            'x-amzn-requestid': request.id,
          };
          // The upstream's own Vary stays, with Origin added.
          if (cors['vary'] && headers['vary']) out['vary'] = `${String(headers['vary'])}, ${cors['vary']}`;
          return out;
        },
        onError: (errorReply, { error }) => {
          const timedOut = (error as { statusCode?: number }).statusCode === 504;
          if (!timedOut) services.logger.warn({ err: error, requestId: request.id, apiId: api.id }, 'gateway upstream failed');
          void answer(errorReply as FastifyReply, timedOut ? INTEGRATION_TIMEOUT : BAD_GATEWAY, cors);
        },
      });
    };

    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    scope.route({ method: methods, url: `${GATEWAY_PREFIX}*`, handler: handle });
  });
}
