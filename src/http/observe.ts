import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * What the request did, for metrics and the log: the API operation it ran (set by the AWS
     * protocols' handler), or a hosted endpoint's method and path (set by src/http/hosted.ts).
     */
    operationName: string | undefined;
    /** The error type the answer carries (`x-amzn-ErrorType`), when it is an error. */
    apiError: string | undefined;
  }
}

/**
 * What a request is called in metrics and the request log: the API operation when one ran
 * (`InitiateAuth`) or the hosted endpoint (`GET /oauth2/authorize`, whatever pool or domain it was
 * reached by), else the method and the route's pattern (`GET /health/live`), never the raw path,
 * which can carry codes and ids and would make the label set unbounded.
 */
function requestName(request: FastifyRequest): string {
  if (request.operationName !== undefined) return request.operationName;
  const route = request.routeOptions.url;
  return route === undefined ? `${request.method} (no route)` : `${request.method} ${route}`;
}

/**
 * Counts and times every answered request (`cognate_requests_total`,
 * `cognate_request_duration_seconds`), writes the request log line when its level is enabled, and
 * serves `/metrics` when the `metrics` setting is on.
 */
export function registerObservability(app: FastifyInstance, services: Services): void {
  const { logger, metrics, config } = services;
  const level = config.requestLogLevel;
  app.decorateRequest('operationName', undefined);
  app.decorateRequest('apiError', undefined);

  app.addHook('onResponse', (request, reply, done) => {
    const name = requestName(request);
    const error = request.apiError ?? '';
    const seconds = reply.elapsedTime / 1000;
    metrics.observeRequest(name, reply.statusCode, error, seconds);
    if (level !== 'silent' && logger.isLevelEnabled(level)) {
      logger[level](
        {
          requestId: request.id,
          method: request.method,
          operation: name,
          status: reply.statusCode,
          ...(error === '' ? {} : { error }),
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request',
      );
    }
    done();
  });

  if (!config.metrics) return;
  app.get('/metrics', async (request, reply) => {
    try {
      const { contentType, body } = await metrics.exposition();
      return await reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
    } catch (error) {
      logger.error({ err: error, requestId: request.id }, 'metrics not gathered');
      return reply.code(503).header('content-type', 'text/plain; charset=utf-8').send('metrics unavailable\n');
    }
  });
}
