import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AdminCreateUserCommand, AdminDeleteUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { notForwarded, upstreamForTests } from '../support/upstream.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser } from '../api/auth-fixtures.js';
import { signInUser } from '../api/identity-fixtures.js';
import { machineToken, putApi } from './fixtures.js';
import { signRs256Jwt } from '../../src/tokens/jwt.js';

/*
 * What a COGNITO_USER_POOLS route refuses, claim by claim: each token below is signed by the
 * pool's own key of its kind (so only the named claim is wrong), and each is shown to be refused
 * with API Gateway's 401 without reaching the upstream. The genuine token of each case, re-signed
 * unchanged, is shown to pass first, so a refusal is the claim's doing.
 */

const upstream = upstreamForTests();
const clock = FrozenClock.atNow();
let server: TestServer;
before(async () => {
  await upstream.ready;
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

interface Signed {
  poolId: string;
  clientId: string;
  username: string;
  id: string;
  access: string;
}

/** A pool, a client, a user, and an API `<poolId>` in front of the upstream with an ID-token route and a scoped one. */
async function signedIn(): Promise<Signed> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const username = `user-${randomUUID().slice(0, 8)}`;
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com` } });
  await putApi(server, {
    id: apiId(poolId),
    upstream: upstream.url,
    stages: ['prod'],
    routes: [
      { method: 'GET', path: '/id', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId] } },
      {
        method: 'GET',
        path: '/access',
        authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId], scopes: ['shop/read', 'aws.cognito.signin.user.admin'] },
      },
    ],
  });
  const tokens = await signInUser(server, poolId, clientId, username);
  return { poolId, clientId, username, ...tokens };
}

const apiId = (poolId: string): string => poolId.replace(/[^a-zA-Z0-9]/g, '').toLowerCase();

/** `token`'s claims changed by `edit`, signed RS256 by the pool's current key for `purpose`. */
async function resigned(
  poolId: string,
  token: string,
  purpose: 'id' | 'access',
  edit: (claims: Record<string, unknown>) => void,
): Promise<string> {
  const claims = decodePayload(token);
  edit(claims);
  const key = await server.services.keys.signingKey(poolId, purpose);
  return signRs256Jwt(key.kid, claims, key.key);
}

async function status(poolId: string, route: 'id' | 'access' | 'stock', token: string): Promise<number> {
  const response = await fetch(`${server.url}/_api/${apiId(poolId)}/prod/${route}`, { headers: { authorization: token } });
  await response.arrayBuffer();
  return response.status;
}

async function assertPasses(poolId: string, route: 'id' | 'access' | 'stock', token: string, label: string): Promise<void> {
  assert.equal(await status(poolId, route, token), 200, label);
}

async function assertUnauthorized(poolId: string, route: 'id' | 'access' | 'stock', token: string, label: string): Promise<void> {
  const response = await notForwarded(upstream, () =>
    fetch(`${server.url}/_api/${apiId(poolId)}/prod/${route}`, { headers: { authorization: token } }),
  );
  const body = await response.text();
  assert.deepEqual([response.status, body], [401, JSON.stringify({ message: 'Unauthorized' })], label);
}

test('an ID token without a numeric exp or iat, of another use, or without a string username or sub is 401', async () => {
  const signed = await signedIn();
  await assertPasses(signed.poolId, 'id', await resigned(signed.poolId, signed.id, 'id', () => {}), 'unchanged');
  const cases: Array<[string, (claims: Record<string, unknown>) => void]> = [
    ['no exp', (claims) => delete claims['exp']],
    ['no iat', (claims) => delete claims['iat']],
    ['exp as a string', (claims) => (claims['exp'] = String(claims['exp']))],
    ['iat as a string', (claims) => (claims['iat'] = String(claims['iat']))],
    ['token_use access', (claims) => (claims['token_use'] = 'access')],
    ['no token_use', (claims) => delete claims['token_use']],
    ['no cognito:username', (claims) => delete claims['cognito:username']],
    ['cognito:username not a string', (claims) => (claims['cognito:username'] = [claims['cognito:username']])],
    ['no sub', (claims) => delete claims['sub']],
    ['sub of another user', (claims) => (claims['sub'] = randomUUID())],
  ];
  for (const [label, edit] of cases) {
    await assertUnauthorized(signed.poolId, 'id', await resigned(signed.poolId, signed.id, 'id', edit), label);
  }
});

test('an ID token has expired from the very millisecond of its exp', async () => {
  const signed = await signedIn();
  const exp = decodePayload(signed.id)['exp'] as number;
  await clock.travel(exp * 1000 - 1 - clock.now(), () => assertPasses(signed.poolId, 'id', signed.id, 'a millisecond before exp'));
  await clock.travel(exp * 1000 - clock.now(), () => assertUnauthorized(signed.poolId, 'id', signed.id, 'at exp'));
});

test('the ID token of a deleted user is 401, and so is it once a new user takes the name', async () => {
  const signed = await signedIn();
  await assertPasses(signed.poolId, 'id', signed.id, 'before the deletion');
  await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: signed.poolId, Username: signed.username }));
  await assertUnauthorized(signed.poolId, 'id', signed.id, 'deleted');
  await server.admin.send(new AdminCreateUserCommand({ UserPoolId: signed.poolId, Username: signed.username, MessageAction: 'SUPPRESS' }));
  await server.admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: signed.poolId, Username: signed.username, Password: PASSWORD, Permanent: true }),
  );
  await assertUnauthorized(signed.poolId, 'id', signed.id, 'a new user of the same name');
  await assertPasses(signed.poolId, 'id', (await signInUser(server, signed.poolId, signed.clientId, signed.username)).id, 'the new user');
});

test("a scoped route takes a user's access token with any one of its scopes, and no token whose issuer is not a string", async () => {
  const signed = await signedIn();
  // The route asks for shop/read or aws.cognito.signin.user.admin; the token has only the second.
  assert.equal(decodePayload(signed.access)['scope'], 'aws.cognito.signin.user.admin');
  await assertPasses(signed.poolId, 'access', signed.access, 'one of the two scopes');
  const noScope = await resigned(signed.poolId, signed.access, 'access', (claims) => (claims['scope'] = 'openid email'));
  await assertUnauthorized(signed.poolId, 'access', noScope, 'neither scope');
  for (const iss of [7, null, ['x']]) {
    const token = await resigned(signed.poolId, signed.access, 'access', (claims) => (claims['iss'] = iss));
    await assertUnauthorized(signed.poolId, 'access', token, `iss ${JSON.stringify(iss)}`);
  }
});

test('a machine token whose sub is not its client, or a user token without its username, is 401 on a scoped route', async () => {
  const poolId = await createPool(server);
  const machine = await machineToken(server, poolId);
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'bob' });
  const user = await signInUser(server, poolId, clientId, 'bob');
  await putApi(server, {
    id: apiId(poolId),
    upstream: upstream.url,
    stages: ['prod'],
    routes: [
      {
        method: 'GET',
        path: '/stock',
        authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId], scopes: ['shop/read', 'aws.cognito.signin.user.admin'] },
      },
    ],
  });
  await assertPasses(poolId, 'stock', await resigned(poolId, machine.accessToken, 'access', () => {}), 'the machine token unchanged');
  await assertPasses(poolId, 'stock', user.access, "the user's token");
  const foreignSub = await resigned(poolId, machine.accessToken, 'access', (claims) => (claims['sub'] = clientId));
  await assertUnauthorized(poolId, 'stock', foreignSub, 'a machine token naming another client as its sub');
  const userless = await resigned(poolId, user.access, 'access', (claims) => delete claims['username']);
  await assertUnauthorized(poolId, 'stock', userless, 'a user token without its username');
});
