import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminDisableUserCommand, DeleteUserPoolClientCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { notForwarded, upstreamForTests } from '../support/upstream.js';
import { createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { signInUser } from '../api/identity-fixtures.js';
import { runGateway } from '../../src/tools-cli/gateway.js';
import { machineToken, putApi } from './fixtures.js';
import { parseGatewayApis } from '../../src/domain/gateway.js';

/*
 * COGNITO_USER_POOLS and NONE routes through `/_api/<apiId>/<stage>/...`, with tokens from real
 * sign-ins (the SDK's AdminInitiateAuth), and the APIs declared in the config file and stored with
 * `cognate gateway put`. Every refused request is checked not to have reached the upstream.
 */

const upstream = upstreamForTests();
const clock = FrozenClock.atNow();
let server: TestServer;
// The server's config file declares one API, whose upstream's port is known once it listens.
before(async () => {
  await upstream.ready;
  const gatewayApis = parseGatewayApis([
    {
      id: 'public',
      upstream: `${upstream.url}/base`,
      stages: ['prod'],
      routes: [{ method: 'GET', path: '/hello', authorizer: { type: 'NONE' } }],
    },
  ]);
  server = await startTestServer({ gatewayApis }, { clock });
});
after(() => server.stop());

async function pool(): Promise<{ poolId: string; clientId: string; tokens: { id: string; access: string } }> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'alice', attributes: { email: 'alice@example.com' } });
  return { poolId, clientId, tokens: await signInUser(server, poolId, clientId, 'alice') };
}

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${server.url}/_api/${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

const refused = <T>(fn: () => Promise<T>): Promise<T> => notForwarded(upstream, fn);

test('a NONE route of the config file is forwarded under the upstream path, query kept', async () => {
  const answer = await call('public/prod/hello?x=1&y=two');
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { method: 'GET', url: '/base/hello?x=1&y=two', bytes: 0 });
  assert.equal(answer.headers.get('x-upstream'), 'yes');
  assert.equal(upstream.requests.at(-1)!.headers['x-amzn-apigateway-api-id'], 'public');
});

test('paths outside every route, unknown stages and unknown APIs are 403 Missing Authentication Token', async () => {
  for (const path of ['public/prod/hello/more', 'public/prod/other', 'public/test/hello', 'nothing/prod/hello', 'public']) {
    const answer = await refused(() => call(path));
    assert.equal(answer.status, 403, path);
    assert.deepEqual(answer.body, { message: 'Missing Authentication Token' }, path);
  }
  const post = await refused(() => call('public/prod/hello', { method: 'POST', body: 'x' }));
  assert.equal(post.status, 403);
});

test('a Cognito route without scopes takes the ID token, passes its claims, and refuses the access token', async () => {
  const { poolId, clientId, tokens } = await pool();
  await putApi(server, {
    id: 'claims',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [{ method: 'GET', path: '/me', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId] } }],
  });
  const ok = await call('claims/prod/me', { headers: { authorization: tokens.id, 'x-cognate-authorizer': '{"claims":{"sub":"forged"}}' } });
  assert.equal(ok.status, 200);
  const context = JSON.parse(upstream.requests.at(-1)!.headers['x-cognate-authorizer'] as string) as { claims: Record<string, unknown> };
  assert.equal(context.claims['cognito:username'], 'alice');
  assert.equal(context.claims['email'], 'alice@example.com');
  assert.equal(context.claims['aud'], clientId);
  assert.equal(context.claims['token_use'], 'id');
  const bearer = await call('claims/prod/me', { headers: { authorization: `Bearer ${tokens.id}` } });
  assert.equal(bearer.status, 200);
  for (const authorization of [tokens.access, undefined, 'not-a-token', `${tokens.id.slice(0, -4)}AAAA`]) {
    const answer = await refused(() => call('claims/prod/me', authorization === undefined ? {} : { headers: { authorization } }));
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { message: 'Unauthorized' });
  }
});

test('a Cognito route with scopes takes an access token with one of them, and refuses one without and the ID token', async () => {
  const { poolId, tokens } = await pool();
  await putApi(server, {
    id: 'scoped',
    upstream: upstream.url,
    stages: ['prod', 'beta'],
    routes: [
      {
        method: 'GET',
        path: '/profile',
        authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId], scopes: ['shop/read', 'aws.cognito.signin.user.admin'] },
      },
      {
        method: 'ANY',
        path: '/orders/{proxy+}',
        authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId], scopes: ['shop/write'] },
      },
    ],
  });
  const ok = await call('scoped/beta/profile', { headers: { authorization: tokens.access } });
  assert.equal(ok.status, 200);
  const claims = (JSON.parse(upstream.requests.at(-1)!.headers['x-cognate-authorizer'] as string) as { claims: Record<string, unknown> })
    .claims;
  assert.equal(claims['token_use'], 'access');
  assert.equal(claims['username'], 'alice');
  const idToken = await refused(() => call('scoped/prod/profile', { headers: { authorization: tokens.id } }));
  assert.deepEqual([idToken.status, idToken.body], [401, { message: 'Unauthorized' }], 'a route with scopes takes access tokens only');
  const missingScope = await refused(() => call('scoped/prod/orders/7', { method: 'DELETE', headers: { authorization: tokens.access } }));
  assert.equal(missingScope.status, 401);
  assert.deepEqual(missingScope.body, { message: 'Unauthorized' });
});

test("another pool's token, a signed-out user's and a disabled user's tokens are 401", async () => {
  const first = await pool();
  const second = await pool();
  await putApi(server, {
    id: 'revocation',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [
      { method: 'GET', path: '/id', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [first.poolId] } },
      {
        method: 'GET',
        path: '/access',
        authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [first.poolId], scopes: ['aws.cognito.signin.user.admin'] },
      },
    ],
  });
  const other = await refused(() => call('revocation/prod/id', { headers: { authorization: second.tokens.id } }));
  assert.deepEqual([other.status, other.body], [401, { message: 'Unauthorized' }]);
  assert.equal((await call('revocation/prod/access', { headers: { authorization: first.tokens.access } })).status, 200);
  // Tokens carry whole seconds; sign-out must be a later second than their iat to revoke them.
  clock.advance(1000);
  await server.anonymous.send(new GlobalSignOutCommand({ AccessToken: first.tokens.access }));
  for (const path of ['revocation/prod/access', 'revocation/prod/id']) {
    const token = path.endsWith('access') ? first.tokens.access : first.tokens.id;
    const answer = await refused(() => call(path, { headers: { authorization: token } }));
    assert.deepEqual([answer.status, answer.body], [401, { message: 'Unauthorized' }], path);
  }
  const fresh = await signInUser(server, first.poolId, first.clientId, 'alice');
  assert.equal((await call('revocation/prod/id', { headers: { authorization: fresh.id } })).status, 200);
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: first.poolId, Username: 'alice' }));
  assert.equal((await refused(() => call('revocation/prod/id', { headers: { authorization: fresh.id } }))).status, 401);
});

test('the host form <apiId>.execute-api.<gatewayDomain> reaches the same API, stage first', async () => {
  const port = new URL(server.url).port;
  const { request } = await import('node:http');
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/prod/hello?q=1', headers: { host: `public.execute-api.localhost:${port}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.body), { method: 'GET', url: '/base/hello?q=1', bytes: 0 });
});

test('cognate gateway refuses a bad definition whole, lists what is served, and deletes a stored API', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cognate-gateway-')), 'apis.json');
  const good = {
    id: 'second',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [{ method: 'GET', path: '/', authorizer: { type: 'NONE' } }],
  };
  writeFileSync(
    file,
    JSON.stringify([good, { ...good, id: 'third', routes: [{ method: 'GET', path: '/{a+}/b', authorizer: { type: 'NONE' } }] }]),
  );
  await assert.rejects(
    runGateway(['put', file], server.services.config, () => undefined),
    {
      message: `${file}[1].routes[0].path: {a+} must be the last segment`,
    },
  );
  assert.equal((await refused(() => call('second/prod/'))).status, 403, 'nothing of the bad file was stored');
  writeFileSync(file, JSON.stringify(good));
  await runGateway(['put', file], server.services.config, () => undefined);
  assert.equal((await call('second/prod/')).status, 200);
  let listed = '';
  await runGateway(['list'], server.services.config, (text) => (listed += text));
  const apis = JSON.parse(listed) as { id: string; source: string }[];
  assert.deepEqual(
    apis.filter((api) => api.id === 'second' || api.id === 'public').map((api) => `${api.id} ${api.source}`),
    ['second stored', 'public config'],
  );
  await runGateway(['delete', 'second'], server.services.config, () => undefined);
  assert.equal((await refused(() => call('second/prod/'))).status, 403);
  await assert.rejects(
    runGateway(['delete', 'second'], server.services.config, () => undefined),
    { message: 'no stored API with the id second' },
  );
});

test('a scoped route takes a machine token of the client_credentials grant, until its app client is deleted', async () => {
  const poolId = await createPool(server);
  const { clientId, accessToken } = await machineToken(server, poolId);
  await putApi(server, {
    id: 'machines',
    upstream: upstream.url,
    stages: ['prod'],
    routes: [
      { method: 'GET', path: '/stock', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId], scopes: ['shop/read'] } },
      { method: 'PUT', path: '/stock', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId], scopes: ['shop/write'] } },
    ],
  });
  assert.equal((await call('machines/prod/stock', { headers: { authorization: accessToken } })).status, 200);
  const claims = (JSON.parse(upstream.requests.at(-1)!.headers['x-cognate-authorizer'] as string) as { claims: Record<string, unknown> })
    .claims;
  assert.deepEqual([claims['sub'], claims['client_id'], claims['scope']], [clientId, clientId, 'shop/read']);
  const write = await refused(() => call('machines/prod/stock', { method: 'PUT', headers: { authorization: accessToken }, body: '{}' }));
  assert.equal(write.status, 401);
  await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.equal((await refused(() => call('machines/prod/stock', { headers: { authorization: accessToken } }))).status, 401);
});
