import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminUserGlobalSignOutCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { loadRefreshToken, redeemRefreshToken } from '../../src/tokens/refresh.js';
import { PASSWORD, createClient, createPool, decodePayload, getUser, putUser, secretHash, type TestClient } from './auth-fixtures.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock, so tests
// that move it put it back, and make admin calls only before moving it.
const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server);
  client = await createClient(server, poolId);
});
after(() => server.stop());

let counter = 0;
async function newUser(pool = poolId): Promise<string> {
  counter += 1;
  const username = `refresher${counter}`;
  await putUser(server, pool, { username });
  return username;
}

async function signIn(
  username: string,
  target: TestClient = client,
  extra: Record<string, string> = {},
): Promise<AuthenticationResultType> {
  const response = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: target.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: PASSWORD, ...extra },
    }),
  );
  return response.AuthenticationResult!;
}

function refreshAuth(refreshToken: string, target: TestClient = client, extra: Record<string, string> = {}): InitiateAuthCommand {
  return new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: target.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken, ...extra },
  });
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
}

test('REFRESH_TOKEN_AUTH returns new ID and access tokens, no refresh token, keeping auth_time and origin_jti', async () => {
  const username = await newUser();
  const first = await signIn(username);
  const before = decodePayload(first.AccessToken!);
  const response = await clock.travel(10 * 60_000, () => server.anonymous.send(refreshAuth(first.RefreshToken!)));
  assert.deepEqual(response.ChallengeParameters, {});
  const result = response.AuthenticationResult!;
  assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType']);
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  const access = decodePayload(result.AccessToken!);
  const id = decodePayload(result.IdToken!);
  for (const claims of [access, id]) {
    assert.equal(claims['auth_time'], before['auth_time']);
    assert.equal(claims['origin_jti'], before['origin_jti']);
    assert.equal(claims['iat'], Number(before['iat']) + 600);
  }
  assert.notEqual(access['jti'], before['jti']);
  assert.notEqual(access['event_id'], before['event_id']);
  assert.equal(access['event_id'], id['event_id']);
});

test('REFRESH_TOKEN is an alias, and AdminInitiateAuth refreshes too', async () => {
  const username = await newUser();
  const first = await signIn(username);
  const alias = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN',
      ClientId: client.clientId,
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
    }),
  );
  assert.ok(alias.AuthenticationResult?.IdToken);
  const admin = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
    }),
  );
  assert.equal(admin.AuthenticationResult?.RefreshToken, undefined);
  assert.equal(decodePayload(admin.AuthenticationResult!.AccessToken!)['username'], username);
});

test('a missing, unknown or foreign refresh token is refused', async () => {
  await expectError(
    () => server.anonymous.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: client.clientId, AuthParameters: {} })),
    'InvalidParameterException',
    'Missing required parameter REFRESH_TOKEN',
  );
  await expectError(() => server.anonymous.send(refreshAuth('not-a-refresh-token')), 'NotAuthorizedException', 'Invalid Refresh Token');
  const username = await newUser();
  const first = await signIn(username);
  const other = await createClient(server, poolId);
  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!, other)),
    'NotAuthorizedException',
    'Invalid Refresh Token',
  );
  await expectError(
    () => server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: other.clientId, RefreshToken: first.RefreshToken! })),
    'NotAuthorizedException',
    'Invalid Refresh Token',
  );
});

test('a revoked refresh token, or one from before a global sign-out, is refused', async () => {
  const username = await newUser();
  const first = await signIn(username);
  await server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: first.RefreshToken! }));
  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!)),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );

  // GlobalSignOut with one session's access token ends the others too.
  const second = await signIn(username);
  const third = await signIn(username);
  await server.anonymous.send(new GlobalSignOutCommand({ AccessToken: third.AccessToken! }));
  await expectError(
    () => server.anonymous.send(refreshAuth(second.RefreshToken!)),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );

  // And so does the admin's AdminUserGlobalSignOut.
  const fourth = await signIn(username);
  await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
  await expectError(
    () => server.anonymous.send(refreshAuth(fourth.RefreshToken!)),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );
});

test("a refresh token expires after the client's RefreshTokenValidity", async () => {
  const username = await newUser();
  const first = await signIn(username);
  await clock.travel(30 * 86_400_000 - 1000, async () =>
    assert.ok((await server.anonymous.send(refreshAuth(first.RefreshToken!))).AuthenticationResult),
  );
  await clock.travel(30 * 86_400_000, () =>
    expectError(() => server.anonymous.send(refreshAuth(first.RefreshToken!)), 'NotAuthorizedException', 'Refresh Token has expired'),
  );

  // A validity of 0 is Cognito's default of 30 days.
  const zero = await createClient(server, poolId, { RefreshTokenValidity: 0 });
  const defaulted = await signIn(username, zero);
  await clock.travel(30 * 86_400_000 - 1000, async () =>
    assert.ok((await server.anonymous.send(refreshAuth(defaulted.RefreshToken!, zero))).AuthenticationResult),
  );
  await clock.travel(30 * 86_400_000, () =>
    expectError(
      () => server.anonymous.send(refreshAuth(defaulted.RefreshToken!, zero)),
      'NotAuthorizedException',
      'Refresh Token has expired',
    ),
  );

  const oneDay = await createClient(server, poolId, { RefreshTokenValidity: 1 });
  const short = await signIn(username, oneDay);
  await clock.travel(86_400_000, () =>
    expectError(
      () => server.anonymous.send(refreshAuth(short.RefreshToken!, oneDay)),
      'NotAuthorizedException',
      'Refresh Token has expired',
    ),
  );
});

test('a disabled, deleted or replaced user cannot refresh', async () => {
  const username = await newUser();
  const first = await signIn(username);
  // AdminDisableUser ends the user's sessions, and AdminEnableUser does not bring them back.
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!)),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );
  await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!)),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );
  const second = await signIn(username);
  assert.ok((await server.anonymous.send(refreshAuth(second.RefreshToken!))).AuthenticationResult);

  // Deleted from the store alone, so the refresh token outlives its user (AdminDeleteUser deletes both).
  const user = await getUser(server, poolId, username);
  await server.services.store.users.delete(poolId, user.usernameKey);
  await expectError(() => server.anonymous.send(refreshAuth(second.RefreshToken!)), 'NotAuthorizedException', 'Invalid Refresh Token');
  // Someone new under the same name does not inherit the session.
  await clock.travel(1000, async () => {
    await putUser(server, poolId, { username });
    await expectError(() => server.anonymous.send(refreshAuth(second.RefreshToken!)), 'NotAuthorizedException', 'Invalid Refresh Token');
  });
});

test('SECRET_HASH on refresh is made with the internal username', async () => {
  const emailPool = await createPool(server, { UsernameAttributes: ['email'] });
  const secretClient = await createClient(server, emailPool, { GenerateSecret: true });
  const secret = secretClient.clientSecret!;
  const internal = 'c0ffee00-0000-4000-8000-000000000002';
  const user = await putUser(server, emailPool, {
    username: internal,
    attributes: { email: 'refresh@example.com', email_verified: 'true' },
  });
  const first = await signIn('refresh@example.com', secretClient, {
    SECRET_HASH: secretHash(secret, 'refresh@example.com', secretClient.clientId),
  });

  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!, secretClient)),
    'NotAuthorizedException',
    `Client ${secretClient.clientId} is configured for secret but secret was not received`,
  );
  await expectError(
    () =>
      server.anonymous.send(
        refreshAuth(first.RefreshToken!, secretClient, { SECRET_HASH: secretHash(secret, 'refresh@example.com', secretClient.clientId) }),
      ),
    'NotAuthorizedException',
    `Unable to verify secret hash for client ${secretClient.clientId}`,
  );
  for (const name of [internal, user.sub]) {
    const response = await server.anonymous.send(
      refreshAuth(first.RefreshToken!, secretClient, { SECRET_HASH: secretHash(secret, name, secretClient.clientId) }),
    );
    assert.ok(response.AuthenticationResult?.AccessToken);
  }
});

test('GetTokensFromRefreshToken without rotation returns ID and access tokens only', async () => {
  const username = await newUser();
  const first = await signIn(username);
  const response = await server.anonymous.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: client.clientId, RefreshToken: first.RefreshToken! }),
  );
  const result = response.AuthenticationResult!;
  assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType']);
  assert.equal(decodePayload(result.IdToken!)['origin_jti'], decodePayload(first.IdToken!)['origin_jti']);
  // The token still works.
  assert.ok(
    (await server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.clientId, RefreshToken: first.RefreshToken! })))
      .AuthenticationResult,
  );
});

test('GetTokensFromRefreshToken takes the client secret in clear', async () => {
  const secretClient = await createClient(server, poolId, { GenerateSecret: true });
  const username = await newUser();
  const first = await signIn(username, secretClient, {
    SECRET_HASH: secretHash(secretClient.clientSecret!, username, secretClient.clientId),
  });
  const get = (ClientSecret?: string) =>
    server.anonymous.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: secretClient.clientId,
        RefreshToken: first.RefreshToken!,
        ...(ClientSecret ? { ClientSecret } : {}),
      }),
    );
  await expectError(
    () => get(),
    'NotAuthorizedException',
    `Client ${secretClient.clientId} is configured for secret but secret was not received`,
  );
  await expectError(
    () => get('wrongsecretwrongsecretwrongsecret'),
    'NotAuthorizedException',
    `Unable to verify secret hash for client ${secretClient.clientId}`,
  );
  assert.ok((await get(secretClient.clientSecret!)).AuthenticationResult?.AccessToken);
});

test('with rotation, GetTokensFromRefreshToken returns a new refresh token and the old one lapses after the grace period', async () => {
  const rotating = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
  });
  const username = await newUser();
  const first = await signIn(username, rotating);
  const get = (RefreshToken: string) =>
    server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating.clientId, RefreshToken }));

  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!, rotating)),
    'InvalidParameterException',
    'Refresh Token flow not enabled for this client',
  );

  const rotated = (await get(first.RefreshToken!)).AuthenticationResult!;
  assert.deepEqual(Object.keys(rotated).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType']);
  assert.notEqual(rotated.RefreshToken, first.RefreshToken);
  assert.equal(decodePayload(rotated.AccessToken!)['origin_jti'], decodePayload(first.AccessToken!)['origin_jti']);
  assert.equal(decodePayload(rotated.AccessToken!)['auth_time'], decodePayload(first.AccessToken!)['auth_time']);

  // A retry within the grace period still works.
  await clock.travel(9_000, async () => assert.ok((await get(first.RefreshToken!)).AuthenticationResult?.RefreshToken));

  // Each new token keeps the remaining lifetime of the first (30 days from the sign-in).
  const again = (await get(rotated.RefreshToken!)).AuthenticationResult!;
  await clock.travel(30 * 86_400_000 - 1000, async () => assert.ok((await get(again.RefreshToken!)).AuthenticationResult));
  await clock.travel(30 * 86_400_000, () =>
    expectError(() => get(again.RefreshToken!), 'NotAuthorizedException', 'Refresh Token has expired'),
  );

  // After the grace period, the old token is a reuse.
  await clock.travel(10_000, () =>
    expectError(() => get(first.RefreshToken!), 'RefreshTokenReuseException', 'Refresh Token has been reused'),
  );
});

test('with rotation and no grace period, a rotated-out token fails at once', async () => {
  const rotating = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  });
  const username = await newUser();
  const first = await signIn(username, rotating);
  // Refused even though the client lists ALLOW_REFRESH_TOKEN_AUTH: rotation needs GetTokensFromRefreshToken.
  await expectError(
    () => server.anonymous.send(refreshAuth(first.RefreshToken!, rotating)),
    'InvalidParameterException',
    'Refresh Token flow not enabled for this client',
  );
  const get = (RefreshToken: string) =>
    server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating.clientId, RefreshToken }));
  const rotated = (await get(first.RefreshToken!)).AuthenticationResult!;
  assert.ok((await get(rotated.RefreshToken!)).AuthenticationResult?.RefreshToken);
  await expectError(() => get(first.RefreshToken!), 'RefreshTokenReuseException', 'Refresh Token has been reused');
});

test('with rotation and no grace period, a request that loses the rotation race to another is a reuse', async () => {
  const rotating = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  });
  const first = await signIn(await newUser(), rotating);
  const { services } = server;
  const pool = (await services.store.pools.get(poolId))!;
  const record = (await services.store.clients.get(poolId, rotating.clientId))!;
  // Both requests found the token unrotated; the other one rotated it first.
  const found = await loadRefreshToken(services, pool, record, first.RefreshToken!);
  assert.equal(await services.store.refreshTokens.markReplaced(found.hash, services.clock.now()), true);
  const error = await captureError(() => redeemRefreshToken(services, pool, record, found, { rotate: true }));
  assert.deepEqual([error.name, error.message], ['RefreshTokenReuseException', 'Refresh Token has been reused']);
});

test('with rotation, reuse of a rotated-out token after the grace period revokes its whole family (RFC 9700 4.14.2)', async () => {
  const rotating = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
  });
  const get = (RefreshToken: string) =>
    server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating.clientId, RefreshToken }));
  const username = await newUser();
  const first = await signIn(username, rotating);
  const second = (await get(first.RefreshToken!)).AuthenticationResult!;
  const third = (await get(second.RefreshToken!)).AuthenticationResult!;
  // The newest token and its access token work until the old one comes back after its grace period.
  assert.ok((await server.anonymous.send(new GetUserCommand({ AccessToken: third.AccessToken! }))).Username);

  await clock.travel(10_000, () =>
    expectError(() => get(first.RefreshToken!), 'RefreshTokenReuseException', 'Refresh Token has been reused'),
  );
  await expectError(() => get(third.RefreshToken!), 'NotAuthorizedException', 'Refresh Token has been revoked');
  await expectError(
    () => server.anonymous.send(new GetUserCommand({ AccessToken: third.AccessToken! })),
    'NotAuthorizedException',
    'Access Token has been revoked',
  );

  // Another sign-in of the same user is another family, and is not touched.
  const other = await signIn(username, rotating);
  assert.ok((await get(other.RefreshToken!)).AuthenticationResult?.RefreshToken);
});
