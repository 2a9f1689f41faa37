import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import { startOAuthServer, type OAuthPool } from './helpers.js';

/*
 * Browser apps call the token, userInfo and revoke endpoints from their own origin (Amplify's code
 * exchange sends `x-amz-user-agent`, userInfo an `authorization` header), so the browser asks first
 * with a CORS preflight. AWS documents `Access-Control-Allow-Origin: *` on the token endpoint, with
 * no per-origin policy; the preflight's other answers are Cognate's choice (docs/differences.md).
 */

let server: TestServer;
let pool: OAuthPool;
let host: string;

const APP_ORIGIN = 'http://127.0.0.1:5173';

before(async () => {
  ({ server, pool } = await startOAuthServer());
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.poolId, Domain: 'cors-app' }));
  host = `cors-app.auth.localhost:${new URL(server.url).port}`;
});
after(() => server?.stop());

interface Answer {
  status: number;
  headers: (name: string) => string | undefined;
}

/** A request by path, with fetch as a browser-like client sends it. */
async function byPath(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const response = await fetch(`${server.url}/${pool.poolId}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  await response.arrayBuffer();
  return { status: response.status, headers: (name) => response.headers.get(name) ?? undefined };
}

/** The same request by the pool's domain in `Host` (fetch cannot set Host, node:http can). */
function byHost(method: string, path: string, headers: Record<string, string>, body?: string, hostHeader = host): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: { ...headers, host: hostHeader } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: (name) => {
            const value = res.headers[name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : value;
          },
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

/** Each endpoint, the method a browser app uses on it and the headers it sends. */
const PREFLIGHTS = [
  { path: '/oauth2/token', method: 'POST', headers: 'content-type,x-amz-user-agent' },
  { path: '/oauth2/token', method: 'POST', headers: 'authorization,content-type' },
  { path: '/oauth2/userInfo', method: 'GET', headers: 'authorization' },
  { path: '/oauth2/userInfo', method: 'POST', headers: 'authorization' },
  { path: '/oauth2/revoke', method: 'POST', headers: 'authorization,content-type' },
] as const;

for (const [form, send] of [
  ['by path', byPath],
  ['by host', byHost],
] as const) {
  test(`the token, userInfo and revoke endpoints answer a CORS preflight (${form})`, async () => {
    for (const preflight of PREFLIGHTS) {
      const what = `${preflight.method} ${preflight.path} with ${preflight.headers}`;
      const answer = await send('OPTIONS', preflight.path, {
        origin: APP_ORIGIN,
        'access-control-request-method': preflight.method,
        'access-control-request-headers': preflight.headers,
      });
      assert.equal(answer.status, 204, what);
      assert.equal(answer.headers('access-control-allow-origin'), '*', what);
      assert.ok(list(answer.headers('access-control-allow-methods')).includes(preflight.method.toLowerCase()), what);
      const allowed = list(answer.headers('access-control-allow-headers'));
      for (const header of preflight.headers.split(',')) assert.ok(allowed.includes(header), `${what}: ${header} allowed`);
      assert.equal(answer.headers('access-control-max-age'), '600', what);
      assert.equal(answer.headers('access-control-allow-credentials'), undefined, what);
    }
  });

  test(`the answers of the token, userInfo and revoke endpoints are readable from any origin (${form})`, async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: APP_ORIGIN };
    const answers = {
      'token, a bad grant': await send('POST', '/oauth2/token', form, 'grant_type=password'),
      'token, a malformed body': await send('POST', '/oauth2/token', { origin: APP_ORIGIN, 'content-type': 'text/plain' }, 'x'),
      'token, asked with GET': await send('GET', '/oauth2/token', { origin: APP_ORIGIN }),
      'userInfo without a token': await send('GET', '/oauth2/userInfo', { origin: APP_ORIGIN }),
      'userInfo with a bad token': await send('POST', '/oauth2/userInfo', { origin: APP_ORIGIN, authorization: 'Bearer x.y.z' }),
      'revoke without a client': await send('POST', '/oauth2/revoke', form, 'token=x'),
    };
    for (const [what, answer] of Object.entries(answers)) {
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status}`);
      assert.equal(answer.headers('access-control-allow-origin'), '*', what);
    }
  });
}

test('a preflight is granted only on those endpoints, and only for a pool that exists', async () => {
  const preflight = { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };
  // The managed login pages are navigated to, never fetched across origins.
  for (const path of ['/login', '/oauth2/authorize', '/logout']) {
    const answer = await byPath('OPTIONS', path, preflight);
    assert.equal(answer.headers('access-control-allow-origin'), undefined, path);
    assert.ok(answer.status >= 400, `${path}: ${answer.status}`);
  }
  const unknownPool = await fetch(`${server.url}/us-east-1_Nobody000/oauth2/token`, { method: 'OPTIONS', headers: preflight });
  assert.equal(unknownPool.status, 404);
  assert.equal(unknownPool.headers.get('access-control-allow-origin'), null);
  const unknownHost = await byHost('OPTIONS', '/oauth2/token', preflight, undefined, `nobody.auth.localhost:${new URL(server.url).port}`);
  assert.equal(unknownHost.status, 404);
  assert.equal(unknownHost.headers('access-control-allow-origin'), undefined);
});
