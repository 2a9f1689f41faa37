import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ServerOptions } from 'node:http';
import type { Services } from './services.js';
import type { Config } from './config/schema.js';
import { registerAwsJson } from './http/aws-json.js';
import { registerRestJson } from './http/rest-json.js';
import { registerWellKnown } from './http/well-known.js';
import { registerAdmin } from './http/admin.js';
import { registerHosted } from './http/hosted.js';
import { registerConsole } from './console/routes.js';
import { registerUserImportUpload } from './http/user-import-upload.js';
import { checkReadiness } from './store/readiness.js';
import { registerTransportSecurity } from './http/transport-security.js';
import { registerObservability } from './http/observe.js';
import { gatewayHostUrl, registerGateway } from './http/gateway.js';
import { registerAuthorize } from './http/authorize.js';

/**
 * What bounds a held connection: the headers must arrive within `headersTimeout` and the whole
 * request within `requestTimeout`, or Node.js answers 408 and closes the socket. Node checks the
 * open connections every `connectionsCheckingInterval` (30 s by default, which would let a hold
 * outlive a short timeout several times over), so the check runs at a quarter of the shorter one.
 */
function connectionLimits(
  config: Config,
): Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'connectionsCheckingInterval'> {
  return {
    headersTimeout: config.headersTimeout,
    requestTimeout: config.requestTimeout,
    keepAliveTimeout: config.keepAliveTimeout,
    connectionsCheckingInterval: Math.min(30_000, Math.max(10, Math.floor(Math.min(config.headersTimeout, config.requestTimeout) / 4))),
  };
}

/**
 * Assembles the HTTP app over ready services. No I/O happens here; `listen` is the caller's.
 */
export function createApp(services: Services, https?: { cert: Buffer; key: Buffer }): FastifyInstance {
  const limits = connectionLimits(services.config);
  const app = Fastify({
    // The same limits for HTTP and HTTPS; the TLS handshake comes before the headers' clock starts.
    ...(https ? { https: { ...https, ...limits, handshakeTimeout: services.config.headersTimeout } } : { http: limits }),
    // Fastify sets these two on the server itself (its defaults: no request limit, 72 s keep-alive).
    requestTimeout: services.config.requestTimeout,
    keepAliveTimeout: services.config.keepAliveTimeout,
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: services.config.bodyLimit,
    genReqId: () => randomUUID(),
    // Fastify's own two lines per request (with a child logger each) cost more than many requests
    // do; src/http/observe.ts writes one line per request instead, at `requestLogLevel`.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: building one (pino bindings and redaction) cost about 1% of a
    // GetUser. Nothing logs through request.log; our error lines carry the request id themselves.
    childLoggerFactory: (logger) => logger,
    // One proxy in front: the peer itself is trusted (hop 0), so its own, last X-Forwarded-* entries
    // are believed and none that the client added before them. (Fastify refuses hop counts.)
    trustProxy: services.config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    // `<apiId>.execute-api.<gatewayDomain>` is the gateway's host form of `/_api/<apiId>/...`.
    rewriteUrl: (request) => gatewayHostUrl(services.config, request.headers.host, request.url ?? '/') ?? request.url ?? '/',
  });

  // Fastify's own errors (body too large, bad content) in Cognito's error shape, never a stack trace.
  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) services.logger.error({ err: error, requestId: request.id }, 'unhandled error');
    const type = status === 413 ? 'SerializationException' : status === 500 ? 'InternalErrorException' : 'InvalidParameterException';
    const message = status === 413 ? 'Request body is too large.' : status === 500 ? 'An internal error occurred.' : error.message;
    reply.header('x-amzn-requestid', request.id).header('x-amzn-errortype', type).header('access-control-allow-origin', '*');
    void reply
      .code(status)
      .header('content-type', 'application/x-amz-json-1.1')
      .send(JSON.stringify({ __type: type, message }));
  });

  registerTransportSecurity(app, services, https !== undefined);
  registerObservability(app, services);

  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const readiness = await checkReadiness(services);
    if (readiness.ready) return { status: 'ok' };
    return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', reason: readiness.reason });
  });

  app.server.maxConnections = services.config.maxConnections;

  registerAwsJson(app, services);
  registerRestJson(app, services);
  registerAdmin(app, services);
  registerConsole(app, services);
  registerUserImportUpload(app, services);
  registerWellKnown(app, services);
  registerGateway(app, services);
  registerAuthorize(app, services);
  registerHosted(app, services);
  return app;
}
