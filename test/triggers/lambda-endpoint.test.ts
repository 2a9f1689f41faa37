import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4 } from '../../src/api/sigv4.js';
import type { FunctionTarget } from '../../src/config/schema.js';
import { createFunctionInvoker } from '../../src/triggers/invoke.js';
import { invokeLambdaEndpoint } from '../../src/triggers/invokers/lambda-endpoint.js';

const EVENT = { version: '1', triggerSource: 'PreSignUp_SignUp', userName: 'alice', request: { userAttributes: {} }, response: {} };
const SECRETS: Record<string, string> = { AKIDTEST: 'secret-of-test', test: 'test' };

interface Seen {
  path: string;
  scope: string;
  signedHeaders: string;
  invocationType: string | undefined;
  verified: string;
}

/** A small server that speaks the Lambda Invoke API and verifies SigV4 as AWS does. */
async function lambdaApi(): Promise<{ endpoint: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const authorization = String(req.headers['authorization']);
    const scope = /Credential=[^/]+\/\d{8}\/([^,]+),/.exec(authorization)?.[1] ?? '';
    const region = scope.split('/')[0] ?? '';
    let verified: string;
    try {
      const amzDate = String(req.headers['x-amz-date']);
      const now = Date.parse(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      const identity = verifySigV4(
        { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body },
        { secretFor: (id) => SECRETS[id], service: 'lambda', region, now },
      );
      verified = identity.accessKeyId;
    } catch (error) {
      verified = `rejected: ${(error as Error).message}`;
    }
    seen.push({
      path: req.url ?? '',
      scope,
      signedHeaders: /SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? '',
      invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
      verified,
    });
    const name = decodeURIComponent((req.url ?? '').split('/')[3] ?? '');
    const event = JSON.parse(body.toString()) as Record<string, unknown>;
    if (name.endsWith(':function:approve')) res.end(JSON.stringify({ ...event, response: { autoConfirmUser: true } }));
    else if (name.endsWith(':function:reject')) {
      res.writeHead(200, { 'x-amz-function-error': 'Unhandled' });
      res.end(JSON.stringify({ errorMessage: 'Registration from this domain is not allowed.', errorType: 'Error' }));
    } else {
      res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('lambdaEndpoint: the Invoke API, SigV4-signed for lambda in the ARN region, with the environment credentials', async () => {
  const api = await lambdaApi();
  const approve = 'arn:aws:lambda:eu-west-3:123456789012:function:approve';
  const env = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret-of-test' };
  try {
    assert.deepEqual(await invokeLambdaEndpoint(api.endpoint, approve, EVENT, 5000, env), {
      kind: 'ok',
      result: { ...EVENT, response: { autoConfirmUser: true } },
    });
    assert.deepEqual(api.seen, [
      {
        path: `/2015-03-31/functions/${encodeURIComponent(approve)}/invocations`,
        scope: 'eu-west-3/lambda/aws4_request',
        signedHeaders: 'content-type;host;x-amz-content-sha256;x-amz-date;x-amz-invocation-type',
        invocationType: 'RequestResponse',
        verified: 'AKIDTEST',
      },
    ]);
  } finally {
    await api.close();
  }
});

test('lambdaEndpoint: function errors are handler errors, API errors fail; local credentials without the environment', async () => {
  const api = await lambdaApi();
  const functions = new Map<string, FunctionTarget>([
    ['reject', { kind: 'lambdaEndpoint', endpoint: api.endpoint }],
    ['missing', { kind: 'lambdaEndpoint', endpoint: api.endpoint }],
  ]);
  const invoker = createFunctionInvoker({ functions });
  const reject = 'arn:aws:lambda:us-east-1:000000000000:function:reject';
  const missing = 'arn:aws:lambda:us-east-1:000000000000:function:missing';
  try {
    assert.deepEqual(await invokeLambdaEndpoint(api.endpoint, reject, EVENT, 5000, {}), {
      kind: 'handler-error',
      message: 'Registration from this domain is not allowed.',
    });
    assert.equal(api.seen[0]?.verified, 'test');
    assert.deepEqual(await invokeLambdaEndpoint(api.endpoint, missing, EVENT, 5000, {}), {
      kind: 'failed',
      reason: `HTTP 404 from ${api.endpoint} for ${missing}`,
    });
    assert.equal((await invoker.invoke(reject, EVENT)).kind, 'handler-error');
  } finally {
    await invoker.close();
    await api.close();
  }
});
