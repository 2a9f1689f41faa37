import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AdminInitiateAuthCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { newUserRecord } from '../../src/auth/new-user.js';
import { createClient, createPool } from './auth-fixtures.js';

/*
 * A confirmed user without a password (signed up for passwordless sign-in) has no hash to check a
 * password against: every password is as wrong as a wrong one, never a way in.
 */

let server: TestServer;
serverForTests((started) => (server = started));

async function putPasswordlessUser(poolId: string, username: string): Promise<void> {
  const pool = (await server.services.store.pools.get(poolId))!;
  const sub = randomUUID();
  const user = newUserRecord(pool, { username, sub, status: 'CONFIRMED', attributes: {}, now: server.services.clock.now() });
  assert.equal(user.passwordHash, null);
  assert.ok(await server.services.store.users.insert(user));
}

test('a user without a password is refused every password with "Incorrect username or password."', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  await putPasswordlessUser(poolId, 'nopass');

  for (const password of ['Any-Password-1', 'x']) {
    const publicError = await captureError(() =>
      server.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: 'nopass', PASSWORD: password },
        }),
      ),
    );
    assert.deepEqual([publicError.name, publicError.message], ['NotAuthorizedException', 'Incorrect username or password.']);
    const adminError = await captureError(() =>
      server.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'nopass', PASSWORD: password },
        }),
      ),
    );
    assert.deepEqual([adminError.name, adminError.message], ['NotAuthorizedException', 'Incorrect username or password.']);
  }
});
