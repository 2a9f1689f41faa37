import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import { echoResponse, notForwarded, upstreamForTests } from '../support/upstream.js';
import { createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { signInUser } from '../api/identity-fixtures.js';
import { launchBrowser } from '../pages/browser.js';
import { putApi } from './fixtures.js';
import { GatewayDefinitionError, parseGatewayApi } from '../../src/domain/gateway.js';

/*
 * CORS at the gateway, as an HTTP API's CorsConfiguration: an API with `cors` answers browsers'
 * preflights itself (no authorizer, no upstream) and puts its CORS headers on every answer, its own
 * refusals included, in place of the upstream's. Checked over the wire, and in Chromium from a page
 * of an allowed origin and of another one.
 */

const upstream = upstreamForTests();
let server: TestServer;
let browser: Browser;
/** Two pages' origins: the app the API allows, and a site it does not. */
const pages: Server[] = [];
let appOrigin = '';
let otherOrigin = '';
let idToken = '';

async function pageServer(): Promise<string> {
  const page = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pages.push(page);
  return `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
}

before(async () => {
  await upstream.ready;
  appOrigin = await pageServer();
  otherOrigin = await pageServer();
  server = await startTestServer();
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'alice', attributes: { email: 'alice@example.com' } });
  idToken = (await signInUser(server, poolId, clientId, 'alice')).id;
  const cognito = { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId] };
  await putApi(server, {
    id: 'shop',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [
      { method: 'GET', path: '/items', authorizer: cognito },
      { method: 'POST', path: '/items', authorizer: cognito },
    ],
    cors: {
      allowOrigins: [appOrigin],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['x-upstream'],
      maxAge: 600,
    },
  });
  await putApi(server, {
    id: 'plain',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [{ method: 'GET', path: '/items', authorizer: cognito }],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const page of pages) page.close();
  await server.stop();
});

function preflight(api: string, origin: string, method = 'POST', headers = 'authorization,content-type'): Promise<Response> {
  return fetch(`${server.url}/_api/${api}/prod/items`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

test("a preflight from an allowed origin is answered by the gateway with the API's CORS settings, reaching no upstream", async () => {
  const response = await notForwarded(upstream, () => preflight('shop', appOrigin));
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), appOrigin);
  assert.equal(response.headers.get('access-control-allow-methods'), 'GET,POST');
  assert.equal(response.headers.get('access-control-allow-headers'), 'authorization,content-type');
  assert.equal(response.headers.get('access-control-max-age'), '600');
  assert.equal(response.headers.get('vary'), 'Origin');
  assert.equal(response.headers.get('access-control-allow-credentials'), null);
});

test('a preflight from another origin gets no CORS headers, so the browser stops there', async () => {
  const response = await notForwarded(upstream, () => preflight('shop', otherOrigin));
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  assert.equal(response.headers.get('access-control-allow-methods'), null);
});

test("a request from an allowed origin carries the gateway's CORS headers in place of the upstream's own", async () => {
  upstream.respond = (request, response) => {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-credentials', 'true');
    echoResponse(request, response);
  };
  try {
    const response = await fetch(`${server.url}/_api/shop/prod/items`, { headers: { origin: appOrigin, authorization: idToken } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), appOrigin);
    assert.equal(response.headers.get('access-control-expose-headers'), 'x-upstream');
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
    assert.equal(response.headers.get('x-upstream'), 'yes');
    assert.deepEqual(await response.json(), { method: 'GET', url: '/items', bytes: 0 });
  } finally {
    upstream.respond = echoResponse;
  }
});

test("the gateway's own refusals carry the CORS headers too, so the app can read its 401", async () => {
  const response = await notForwarded(upstream, () => fetch(`${server.url}/_api/shop/prod/items`, { headers: { origin: appOrigin } }));
  assert.equal(response.status, 401);
  assert.equal(response.headers.get('access-control-allow-origin'), appOrigin);
  assert.deepEqual(await response.json(), { message: 'Unauthorized' });
  const elsewhere = await fetch(`${server.url}/_api/shop/prod/items`, { headers: { origin: otherOrigin, authorization: idToken } });
  assert.equal(elsewhere.status, 200, 'CORS is for browsers: the request itself is served');
  assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
});

test('an API without cors has no preflight answer: OPTIONS takes no route, as on API Gateway', async () => {
  const response = await notForwarded(upstream, () => preflight('plain', appOrigin));
  assert.equal(response.status, 403);
  assert.deepEqual(await response.json(), { message: 'Missing Authentication Token' });
  assert.equal(response.headers.get('access-control-allow-origin'), null);
});

test('* in allowMethods and allowHeaders answers what the preflight asked for', async () => {
  await putApi(server, {
    id: 'any',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [{ method: 'ANY', path: '/{proxy+}', authorizer: { type: 'NONE' } }],
    cors: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] },
  });
  const response = await notForwarded(upstream, () => preflight('any', otherOrigin, 'DELETE', 'x-app-version, content-type'));
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.equal(response.headers.get('access-control-allow-methods'), 'DELETE');
  assert.equal(response.headers.get('access-control-allow-headers'), 'x-app-version, content-type');
  assert.equal(response.headers.get('vary'), null);
});

test('a cors definition is checked: origins, credentials with *, max age and unknown members', () => {
  const base = {
    id: 'x',
    upstream: 'http://127.0.0.1:1',
    stages: ['prod'],
    routes: [{ method: 'GET', path: '/', authorizer: { type: 'NONE' } }],
  };
  const refused: [unknown, RegExp][] = [
    [{ allowOrigins: ['app.example.com'] }, /api\.cors\.allowOrigins\[0\]: expected an origin/],
    [{ allowOrigins: ['*'], allowCredentials: true }, /api\.cors\.allowCredentials: cannot be true when allowOrigins has \*/],
    [{ allowOrigins: ['https://a.example'], maxAge: 86_401 }, /api\.cors\.maxAge: expected whole seconds from 0 to 86400/],
    [{ allowOrigins: ['https://a.example'], allowMethods: ['FETCH'] }, /api\.cors\.allowMethods\[0\]: expected an HTTP method/],
    [{ allowOrigins: ['https://a.example'], origins: [] }, /api\.cors: unknown member "origins"/],
    [{ allowOrigins: [] }, /api\.cors\.allowOrigins: expected a non-empty list/],
  ];
  for (const [cors, message] of refused) {
    assert.throws(
      () => parseGatewayApi({ ...base, cors }, 'api'),
      (error: unknown) => error instanceof GatewayDefinitionError && message.test(error.message),
    );
  }
  const kept = parseGatewayApi({ ...base, cors: { allowOrigins: ['https://a.example:8443'], allowCredentials: true } }, 'api');
  assert.deepEqual(kept.cors, {
    allowOrigins: ['https://a.example:8443'],
    allowMethods: [],
    allowHeaders: [],
    exposeHeaders: [],
    maxAge: undefined,
    allowCredentials: true,
  });
});

/** What a page of `origin` gets when it fetches the API with the ID token, as a browser app does. */
async function fetchFromPage(origin: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(origin);
    return await page.evaluate(
      async ({ url, token }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { authorization: token, 'content-type': 'application/json' },
            body: '{"n":1}',
          });
          return `${response.status} ${response.headers.get('x-upstream')} ${await response.text()}`;
        } catch (error) {
          return `refused: ${(error as Error).name}`;
        }
      },
      { url: `${server.url}/_api/shop/prod/items`, token: idToken },
    );
  } finally {
    await context.close();
  }
}

test('in Chromium, a page of the allowed origin calls the API with its token and reads the answer; a page of another origin cannot', async () => {
  assert.equal(await fetchFromPage(appOrigin), '200 yes {"method":"POST","url":"/items","bytes":7}');
  const before = upstream.requests.length;
  assert.equal(await fetchFromPage(otherOrigin), 'refused: TypeError');
  assert.equal(upstream.requests.length, before, 'the browser stopped at the preflight');
});
