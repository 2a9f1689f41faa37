import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Clock } from '../../src/lib/clock.js';
import { signInFederatedUser } from '../../src/oauth/federation/federated-user.js';

/**
 * A clock that moves one millisecond every time it is read, so that two reads during one
 * creation show up as two different times, every run (a real clock shows them only sometimes).
 */
class TickingClock implements Clock {
  private current = Date.now();
  now(): number {
    return this.current++;
  }
}

let server: TestServer;
let poolId: string;
let clientId: string;
before(async () => {
  server = await startTestServer({}, { clock: new TickingClock() });
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'creation-dates' }));
  poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
  clientId = client.UserPoolClient!.ClientId!;
});
after(() => server.stop());

async function adminDates(username: string): Promise<{ created: number; modified: number }> {
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.ok(user.UserCreateDate && user.UserLastModifiedDate, 'AdminGetUser returns both dates');
  return { created: user.UserCreateDate.getTime(), modified: user.UserLastModifiedDate.getTime() };
}

test('AdminCreateUser answers and stores equal UserCreateDate and UserLastModifiedDate', async () => {
  for (const TemporaryPassword of [undefined, 'Temporary-Pass-1']) {
    const username = `admin-made-${TemporaryPassword ? 'given' : 'generated'}`;
    const created = await server.admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword }),
    );
    assert.ok(created.User?.UserCreateDate, 'the answer carries UserCreateDate');
    assert.equal(created.User.UserLastModifiedDate?.getTime(), created.User.UserCreateDate.getTime());
    const stored = await adminDates(username);
    assert.equal(stored.modified, stored.created);
    assert.equal(stored.created, created.User.UserCreateDate.getTime());
  }
});

test('SignUp with a password stores equal creation and modification dates', async () => {
  await server.anonymous.send(new SignUpCommand({ ClientId: clientId, Username: 'signed-up', Password: 'Correct-Horse-9' }));
  const stored = await adminDates('signed-up');
  assert.equal(stored.modified, stored.created);
});

test('a federated user is created with equal creation and modification dates', async () => {
  await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Upstream',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'upstream-client',
        client_secret: 'upstream-secret',
        authorize_scopes: 'openid',
        oidc_issuer: 'https://upstream.example.com',
        attributes_request_method: 'GET',
        authorize_url: 'https://upstream.example.com/authorize',
        token_url: 'https://upstream.example.com/token',
        attributes_url: 'https://upstream.example.com/userinfo',
        jwks_uri: 'https://upstream.example.com/jwks',
      },
      AttributeMapping: { email: 'email' },
    }),
  );
  const pool = (await server.services.store.pools.get(poolId))!;
  const provider = (await server.services.store.identityProviders.get(poolId, 'Upstream'))!;
  const user = await signInFederatedUser(server.services, pool, provider, { userId: 'u-1', claims: { email: 'u1@example.com' } });
  const stored = await adminDates(user.username);
  assert.equal(stored.modified, stored.created);
});
