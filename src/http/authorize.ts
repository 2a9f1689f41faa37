import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { executeApiArn } from '../domain/gateway.js';
import { authorizeIamRequest } from '../gateway/iam-authorizer.js';

/** What a service sends: the request it received, as it received it, and what it calls itself. */
interface AuthorizeInput {
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  /** Base64 of the body's exact bytes. */
  body?: unknown;
  apiId?: unknown;
  stage?: unknown;
}

const NAME = /^[A-Za-z0-9_-]{1,128}$/;

function headersOf(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') headers[name.toLowerCase()] = item;
    else if (Array.isArray(item) && item.every((part) => typeof part === 'string')) headers[name.toLowerCase()] = item.join(', ');
    else return undefined;
  }
  return headers;
}

/**
 * `POST /_cognate/authorize`: the checker behind `cognate/authorizer`, for services that are not
 * behind the gateway. Given a SigV4 request (service `execute-api`) a service received, it answers
 * whether the signature is valid and the signer's role allows `execute-api:Invoke` on
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, exactly as an AWS_IAM
 * route of the gateway decides, and who the caller is: `{"allowed": true, "identity": {...}}` or
 * `{"allowed": false, "status", "body"}` with API Gateway's refusal. Only a valid signature gets an
 * identity, so the endpoint tells nothing to someone without credentials.
 */
export function registerAuthorize(app: FastifyInstance, services: Services): void {
  app.post<{ Body: AuthorizeInput }>('/_cognate/authorize', async (request, reply) => {
    request.operationName = 'authorize';
    const input = (request.body ?? {}) as AuthorizeInput;
    const headers = headersOf(input.headers);
    const { method, url, apiId, stage, body } = input;
    if (
      typeof method !== 'string' ||
      !/^[A-Z]{1,16}$/.test(method) ||
      typeof url !== 'string' ||
      !url.startsWith('/') ||
      !headers ||
      typeof apiId !== 'string' ||
      !NAME.test(apiId) ||
      typeof stage !== 'string' ||
      !NAME.test(stage) ||
      (body !== undefined && typeof body !== 'string')
    ) {
      return reply
        .code(400)
        .send({ message: 'Expected {"method", "url" (path and query), "headers", "body" (base64, optional), "apiId", "stage"}' });
    }
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const resource = executeApiArn(services.config.region, services.config.accountId, apiId, stage, method, path);
    const signed = { method, path: url, headers, body: Buffer.from(body ?? '', 'base64') };
    const decision = await authorizeIamRequest(services, signed, resource, request.ip);
    return decision.allowed
      ? { allowed: true, identity: decision.identity }
      : { allowed: false, status: decision.answer.status, body: decision.answer.body };
  });
}
