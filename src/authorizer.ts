/**
 * `cognate/authorizer`: lets a Node service that is not behind Cognate's gateway check an incoming
 * SigV4 request (signed for the service `execute-api`, with identity pool credentials or an admin
 * key) the way an AWS_IAM route does: Cognate's `POST /_cognate/authorize` verifies the signature
 * and evaluates the caller's role policies for `execute-api:Invoke` on
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, and answers who the
 * caller is. For user pool JWTs, use aws-jwt-verify against the pool's JWKS instead.
 *
 * ```js
 * import { createAuthorizer } from 'cognate/authorizer';
 * const authorize = createAuthorizer({ endpoint: 'http://127.0.0.1:9229', apiId: 'orders', stage: 'prod' });
 * const result = await authorize({ method: req.method, url: req.url, headers: req.headers, body });
 * if (!result.allowed) { res.writeHead(result.status).end(JSON.stringify(result.body)); return; }
 * console.log(result.identity.cognitoIdentityId, result.identity.roleArn);
 * ```
 *
 * Standalone on purpose: it imports nothing of the server, so a service loads only this file.
 */

/** The request as the service received it: the path and query exactly as sent, every header, the body's bytes. */
export interface IncomingRequest {
  method: string;
  /** The request target: path and query, as on the wire (`req.url` in node:http). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The exact body bytes, which the signature covers; none for a bodiless request. */
  body?: string | Uint8Array;
}

export interface AuthorizerOptions {
  /** Cognate's URL, `http://127.0.0.1:9229`. */
  endpoint: string;
  /** The service's name in the resource ARN that policies grant, as an API id. */
  apiId: string;
  stage: string;
  /** Milliseconds to wait for Cognate (5000 by default); a timeout rejects. */
  timeoutMs?: number;
}

/** Who signed an allowed request, as API Gateway's `requestContext.identity`, with the role and principal tags. */
export interface CallerIdentity {
  cognitoIdentityId: string | null;
  cognitoIdentityPoolId: string | null;
  cognitoAuthenticationType: string | null;
  accountId: string;
  accessKey: string;
  caller: string;
  user: string;
  userArn: string;
  roleArn: string | null;
  principalTags: Record<string, string>;
  sourceIp: string;
}

export type Authorization =
  | { allowed: true; identity: CallerIdentity }
  /** Refused: `status` and `body` are API Gateway's answer (403 Missing Authentication Token, a signature problem, or IAM's refusal). */
  | { allowed: false; status: number; body: Record<string, string> };

/** A function that checks one incoming request with Cognate. It rejects only when Cognate cannot be asked. */
export function createAuthorizer(options: AuthorizerOptions): (request: IncomingRequest) => Promise<Authorization> {
  const url = `${options.endpoint.replace(/\/+$/, '')}/_cognate/authorize`;
  return async (request) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body).toString('base64');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
        apiId: options.apiId,
        stage: options.stage,
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`Cognate's authorize endpoint answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Authorization;
  };
}
