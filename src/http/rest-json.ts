import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dispatchRestJson, restJsonOperation } from '../api/rest-json.js';
import { signedAccessKeyId } from '../api/sigv4.js';
import { SYNC_IDENTITY_OPERATIONS } from '../domain/cognito-sync.js';
import type { Services } from '../services.js';
import { adminOriginAllowed } from './cors.js';
import { apiRequestOf } from './aws-json.js';

/** Headers the SDKs and amazon-cognito-js send to a restJson1 service, and may read back. */
const ALLOW_HEADERS =
  'content-type, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, x-amz-client-context, authorization, amz-sdk-invocation-id, amz-sdk-request';
const EXPOSE_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, Date';

/**
 * A Sync dataset holds up to 1 MB, and one UpdateRecords may carry a record that large, so these
 * requests may be 2 MB whatever the configured `bodyLimit`.
 */
const SYNC_REQUEST_LIMIT = 2 * 1024 * 1024;

/**
 * Whether a browser page of `origin` may make this call: any page may call an identity's own Sync
 * operations with that identity's temporary credentials (as apps do on AWS), but admin keys, and
 * the pool-level operations, only pages of COGNATE_ADMIN_ORIGINS (src/http/cors.ts says why).
 */
function originMayCall(request: FastifyRequest, services: Services, operation: string | undefined): boolean {
  if (adminOriginAllowed(request, services)) return true;
  const key = signedAccessKeyId({ method: request.method, path: request.url, headers: request.headers, body: Buffer.alloc(0) });
  const temporary = key !== undefined && key.startsWith('ASIA') && services.secretFor(key) === undefined;
  return temporary && operation !== undefined && SYNC_IDENTITY_OPERATIONS.has(operation);
}

/**
 * The restJson1 services on the endpoint (Cognito Sync): `GET|POST|DELETE /identitypools...`, by
 * method and path (src/api/rest-json.ts). The body is taken raw, as SigV4 signs its exact bytes;
 * this scope alone drops Fastify's JSON parser, so `application/json` arrives as bytes too.
 */
export function registerRestJson(app: FastifyInstance, services: Services): void {
  void app.register(async (scope) => {
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const preflight = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      reply.header('access-control-allow-origin', request.headers.origin ?? '*');
      reply.header('vary', 'Origin');
      reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      reply.header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? ALLOW_HEADERS);
      reply.header('access-control-max-age', '86400');
      return reply.code(204).send();
    };

    const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const pathname = request.url.split('?')[0]!;
      const operation = restJsonOperation(request.method, pathname);
      if (!originMayCall(request, services, operation)) {
        const message = `Admin operations are not allowed from the origin ${request.headers.origin ?? ''}; add it to COGNATE_ADMIN_ORIGINS to allow them.`;
        // Not executed, and no CORS headers: the page that sent it cannot read even this refusal.
        return reply
          .code(403)
          .header('x-amzn-requestid', request.id)
          .header('x-amzn-errortype', 'NotAuthorizedException')
          .header('content-type', 'application/json')
          .send(JSON.stringify({ message }));
      }
      const result = await dispatchRestJson(services, apiRequestOf(request, body));
      request.operationName = result.operation;
      request.apiError = result.errorType;
      reply.header('access-control-allow-origin', request.headers.origin ?? '*');
      reply.header('vary', 'Origin');
      reply.header('access-control-expose-headers', EXPOSE_HEADERS);
      reply.header('x-amzn-requestid', request.id);
      if (result.errorType) reply.header('x-amzn-errortype', result.errorType);
      reply.header('content-type', result.contentType ?? 'application/json');
      return reply.code(result.status).send(result.body);
    };

    for (const url of ['/identitypools', '/identitypools/*']) {
      scope.options(url, preflight);
      scope.route({
        method: ['GET', 'POST', 'DELETE'],
        url,
        handler: handle,
        bodyLimit: Math.max(services.config.bodyLimit, SYNC_REQUEST_LIMIT),
      });
    }
  });
}
