import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { TOKEN_RESPONSE_HEADERS, tokenEndpoint } from '../oauth/token.js';

/**
 * The OAuth 2.0 endpoints under the pool's path: `POST /<poolId>/oauth2/token`. They live in
 * their own scope so the form body reaches the endpoint as text and so Fastify's own errors (body
 * too large, unreadable body) come out as OAuth errors rather than Cognito API errors.
 */
export function registerOAuth(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
      if (!clientError) services.logger.error({ err: error, requestId: request.id }, 'unhandled error');
      void reply
        .code(clientError ? 400 : 500)
        .headers(TOKEN_RESPONSE_HEADERS)
        .send({ error: clientError ? 'invalid_request' : 'server_error' });
    });

    scope.post<{ Params: { poolId: string } }>('/:poolId/oauth2/token', async (request, reply) => {
      const result = await tokenEndpoint(services, {
        poolId: request.params.poolId,
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: typeof request.body === 'string' ? request.body : '',
      });
      return reply.code(result.status).headers(TOKEN_RESPONSE_HEADERS).send(result.body);
    });

    // Cognito answers other methods on the token endpoint with an empty 405.
    scope.route<{ Params: { poolId: string } }>({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url: '/:poolId/oauth2/token',
      handler: async (_request, reply) => reply.code(405).header('allow', 'POST').send(),
    });
  });
}
