import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Services } from './services.js';
import { registerAwsJson } from './http/aws-json.js';
import { registerWellKnown } from './http/well-known.js';
import { registerAdmin } from './http/admin.js';
import { registerHosted } from './http/hosted.js';
import { checkReadiness } from './store/readiness.js';

/**
 * Assembles the HTTP app over ready services. No I/O happens here; `listen` is the caller's.
 */
export function createApp(services: Services, https?: { cert: Buffer; key: Buffer }): FastifyInstance {
  const app = Fastify({
    ...(https ? { https } : {}),
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: services.config.bodyLimit,
    genReqId: () => randomUUID(),
    // One log line per request would cost more than many requests do; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: building one (pino bindings and redaction) cost about 1% of a
    // GetUser. Nothing logs through request.log; our error lines carry the request id themselves.
    childLoggerFactory: (logger) => logger,
    trustProxy: false,
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

  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const readiness = await checkReadiness(services);
    if (readiness.ready) return { status: 'ok' };
    return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', reason: readiness.reason });
  });

  registerAwsJson(app, services);
  registerAdmin(app, services);
  registerWellKnown(app, services);
  registerHosted(app, services);
  return app;
}
