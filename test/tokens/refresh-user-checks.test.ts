import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, getUser, putUser } from '../api/auth-fixtures.js';

// AdminDisableUser and the global sign-outs revoke every refresh token of the user as well as
// moving tokensValidAfter, so over the API alone these checks of loadRefreshToken only matter
// for a token whose sign-in raced them (it read the user before, and stored its token after, the
// revocation). The tests build that state in the store and refresh over the wire.

let server: TestServer;
const clock = serverForTests((s) => (server = s));

async function signedIn(username: string): Promise<{ poolId: string; clientId: string; refreshToken: string }> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username });
  const signIn = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  return { poolId, clientId, refreshToken: signIn.AuthenticationResult!.RefreshToken! };
}

function refresh(clientId: string, refreshToken: string): Promise<unknown> {
  return server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }),
  );
}

test('a disabled user cannot refresh a token that escaped revocation: "User is disabled."', async () => {
  const { poolId, clientId, refreshToken } = await signedIn('disabled-refresher');
  const user = await getUser(server, poolId, 'disabled-refresher');
  await server.services.store.users.update({ ...user, enabled: false });
  const error = await captureError(() => refresh(clientId, refreshToken));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'User is disabled.');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test("a refresh token issued before the user's tokensValidAfter is refused as revoked", async () => {
  const { poolId, clientId, refreshToken } = await signedIn('signed-out-refresher');
  const user = await getUser(server, poolId, 'signed-out-refresher');
  // Signed out one millisecond after the token was issued; the token itself was not revoked.
  await server.services.store.users.update({ ...user, tokensValidAfter: clock.now() + 1 });
  await clock.travel(1, async () => {
    const error = await captureError(() => refresh(clientId, refreshToken));
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, 'Refresh Token has been revoked');
  });
  // The same token, the user's sessions left alone, still refreshes: the refusal was the sign-out.
  await server.services.store.users.update(user);
  assert.ok(((await refresh(clientId, refreshToken)) as { AuthenticationResult?: unknown }).AuthenticationResult);
});
