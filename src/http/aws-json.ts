import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dispatch, isAdminTarget, type ApiRequest, type ApiResponse } from '../api/dispatch.js';
import { dispatchKms, KMS_TARGET_PREFIX } from '../api/kms-decrypt.js';
import { dispatchQuery, isQueryRequest, queryOperation, queryRefusal } from '../api/aws-query.js';
import { CognitoError } from '../errors/cognito-error.js';
import type { Services } from '../services.js';
import { adminOriginAllowed, withoutAuthorization } from './cors.js';

/** Headers browser clients (amazon-cognito-identity-js, Amplify, SDK v3) send and must read. */
const ALLOW_HEADERS = [
  'content-type',
  'x-amz-target',
  'x-amz-user-agent',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'authorization',
  'cache-control',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
].join(', ');
const EXPOSE_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date';

/**
 * Operations Cognito lets send up to 2 MB ("This operation has a 2-megabyte request-size limit"):
 * a branding style's image assets are up to 1,000,000 bytes each before base64. Every other
 * request keeps the configured `bodyLimit`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
 */
const LARGE_REQUEST_TARGETS = new Set(
  ['CreateManagedLoginBranding', 'UpdateManagedLoginBranding'].map((name) => `AWSCognitoIdentityProviderService.${name}`),
);
const LARGE_REQUEST_LIMIT = 2 * 1024 * 1024;

/** The framework-free request the dispatchers take: what SigV4 signs (method, path, headers, raw body) and who sent it. */
export function apiRequestOf(request: FastifyRequest, body: Buffer): ApiRequest {
  return { method: request.method, path: request.url, headers: request.headers, body, requestId: request.id, sourceIp: request.ip };
}

function cors(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('access-control-allow-origin', request.headers.origin ?? '*');
  reply.header('vary', 'Origin');
  reply.header('access-control-expose-headers', EXPOSE_HEADERS);
}

/**
 * `POST /` for every AWS service Cognate answers (src/api/aws-services.ts): awsJson1_1 by
 * `X-Amz-Target` (`AWSCognitoIdentityProviderService.<Op>`, `AWSCognitoIdentityService.<Op>`, and
 * KMS's `TrentService.Decrypt`, src/api/kms-decrypt.ts), and awsQuery forms (`Action=...&Version=...`,
 * STS) with XML answers. The body is taken raw, because SigV4 signs its exact bytes; the
 * dispatchers parse it.
 */
export function registerAwsJson(app: FastifyInstance, services: Services): void {
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.options('/', async (request, reply) => {
    cors(request, reply);
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    // The preflight does not carry the X-Amz-Target value, so which operation follows is unknown;
    // an origin that may not make admin calls is not allowed to send a signature at all.
    const requested = request.headers['access-control-request-headers'] ?? ALLOW_HEADERS;
    reply.header('access-control-allow-headers', adminOriginAllowed(request, services) ? requested : withoutAuthorization(requested));
    reply.header('access-control-max-age', '86400');
    return reply.code(204).send();
  });

  const bodyLimit = Math.max(services.config.bodyLimit, LARGE_REQUEST_LIMIT);
  app.post('/', { bodyLimit }, async (request, reply) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (body.length > services.config.bodyLimit && !LARGE_REQUEST_TARGETS.has(target)) {
      // The answer Fastify's own limit gets (app.ts), for any other operation.
      return reply
        .code(413)
        .header('x-amzn-requestid', request.id)
        .header('x-amzn-errortype', 'SerializationException')
        .header('content-type', 'application/x-amz-json-1.1')
        .send(JSON.stringify({ __type: 'SerializationException', message: 'Request body is too large.' }));
    }
    const kms = target.startsWith(`${KMS_TARGET_PREFIX}.`);
    const query = isQueryRequest(request.headers);
    const admin = query ? queryOperation({ headers: request.headers, body }).admin : kms || isAdminTarget(target);
    // KMS Decrypt takes an admin key pair, so it is an admin call too.
    if (!adminOriginAllowed(request, services) && admin) {
      const message = `Admin operations are not allowed from the origin ${request.headers.origin ?? ''}; add it to COGNATE_ADMIN_ORIGINS to allow them.`;
      // STS says AccessDenied where Cognito says NotAuthorizedException.
      const refusal: ApiResponse = query
        ? queryRefusal({ headers: request.headers, body, requestId: request.id }, new CognitoError('AccessDenied', 403, message))
        : { status: 400, body: JSON.stringify({ __type: 'NotAuthorizedException', message }), errorType: 'NotAuthorizedException' };
      // Not executed, and no CORS headers: the page that sent it cannot read even this refusal.
      return reply
        .code(refusal.status)
        .header('x-amzn-requestid', request.id)
        .header('x-amzn-errortype', refusal.errorType ?? '')
        .header('content-type', refusal.contentType ?? 'application/x-amz-json-1.1')
        .send(refusal.body);
    }
    const apiRequest = apiRequestOf(request, body);
    // KMS Decrypt on the same endpoint, for custom sender handlers (AWS_ENDPOINT_URL_KMS).
    const result = query
      ? await dispatchQuery(services, apiRequest)
      : kms
        ? await dispatchKms(services, apiRequest, target)
        : await dispatch(services, apiRequest);
    request.operationName = result.operation;
    request.apiError = result.errorType;
    cors(request, reply);
    reply.header('x-amzn-requestid', request.id);
    if (result.errorType) reply.header('x-amzn-errortype', result.errorType);
    reply.header('content-type', result.contentType ?? 'application/x-amz-json-1.1');
    return reply.code(result.status).send(result.body);
  });
}
