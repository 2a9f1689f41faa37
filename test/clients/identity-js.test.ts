import { test, before, after, beforeEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { AdminListDevicesCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { MemoryStorage, recordApiCalls } from '../support/client-storage.js';
import { PASSWORD, decodePayload, putUser } from '../api/auth-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';

/*
 * amazon-cognito-identity-js (the SDK under Amplify v5 and many apps) in Node against a real
 * listening Cognate: `endpoint` on CognitoUserPool is the only change an app makes. Its default
 * sign-in is USER_SRP_AUTH, so these tests run Cognito's SRP and device SRP exactly as the library
 * computes them. The library has no client-secret support (it never sends SECRET_HASH); SRP with
 * a secret is covered through the AWS SDK in test/api/srp.test.ts.
 */

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = new FrozenClock(Math.floor(Date.now() / 1000) * 1000 + 250);
let server: TestServer;
let seq = 0;

/** Every call the library makes, as `Operation` or `RespondToAuthChallenge:<ChallengeName>`. */
const calls: string[] = [];
let stopRecording = (): void => {};

/**
 * Runs `fn` with the library's clock (Date) an hour and a minute ahead, when its cached access
 * token has expired: the library decides by its own clock whether to refresh. The server's clock
 * stays where it is, so the SDK's SigV4 requests keep matching it.
 */
async function anHourLater<T>(fn: () => Promise<T>): Promise<T> {
  mock.timers.enable({ apis: ['Date'], now: Date.now() + 61 * 60_000 });
  try {
    return await fn();
  } finally {
    mock.timers.reset();
  }
}

before(async () => {
  server = await startTestServer({}, { clock });
  stopRecording = recordApiCalls(calls);
});
after(async () => {
  stopRecording();
  await server.stop();
});
beforeEach(() => {
  calls.length = 0;
});

async function newPool(extra: Record<string, unknown> = {}): Promise<{ poolId: string; clientId: string }> {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: `identity-js-${++seq}`, ...extra }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

function userPool(poolId: string, clientId: string, storage: ICognitoStorage): CognitoUserPool {
  return new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url, Storage: storage });
}

interface SignInResult {
  session: CognitoUserSession;
  user: CognitoUser;
  userConfirmationNecessary: boolean | undefined;
}

/** CognitoUser.authenticateUser, as a promise. */
function authenticate(pool: CognitoUserPool, storage: ICognitoStorage, username: string, password: string): Promise<SignInResult> {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, user, userConfirmationNecessary }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

function getSession(user: CognitoUser): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) =>
    user.getSession((err: Error | null, session: CognitoUserSession | null) => (err ? reject(err) : resolve(session!))),
  );
}

test('authenticateUser signs in with USER_SRP_AUTH and PASSWORD_VERIFIER', async () => {
  const { poolId, clientId } = await newPool();
  const user = await putUser(server, poolId, { username: `alice${++seq}` });
  const storage = new MemoryStorage();
  const { session } = await authenticate(userPool(poolId, clientId, storage), storage, user.username, PASSWORD);
  assert.deepEqual(calls, ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.ok(session.isValid());
  assert.equal(session.getAccessToken().payload['username'], user.username);
  assert.equal(session.getIdToken().payload['sub'], user.sub);
  assert.equal(storage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`), user.username);
});

test('a wrong password fails with NotAuthorizedException "Incorrect username or password."', async () => {
  const { poolId, clientId } = await newPool();
  const user = await putUser(server, poolId, { username: `bob${++seq}` });
  const storage = new MemoryStorage();
  const error = (await authenticate(userPool(poolId, clientId, storage), storage, user.username, 'Wrong-Horse-9').then(
    () => assert.fail('signed in with a wrong password'),
    (e: unknown) => e,
  )) as { code: string; name: string; message: string };
  assert.equal(error.code, 'NotAuthorizedException');
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'Incorrect username or password.');
});

test('an alias sign-in with a verified email signs in as the internal username', async () => {
  const { poolId, clientId } = await newPool({ AliasAttributes: ['email'] });
  const email = `carol${++seq}@example.com`;
  const user = await putUser(server, poolId, { username: `carol${seq}`, attributes: { email, email_verified: 'true' } });
  const storage = new MemoryStorage();
  const { session, user: cognitoUser } = await authenticate(userPool(poolId, clientId, storage), storage, email, PASSWORD);
  assert.equal(session.getIdToken().payload['cognito:username'], user.username);
  // The library switches to USER_ID_FOR_SRP and caches the session under it.
  assert.equal(cognitoUser.getUsername(), user.username);
  assert.equal(storage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`), user.username);
});

test('an email-as-username pool signs in with the email; the internal username is the UUID', async () => {
  const { poolId, clientId } = await newPool({ UsernameAttributes: ['email'] });
  const email = `dave${++seq}@example.com`;
  const internal = crypto.randomUUID();
  await putUser(server, poolId, { username: internal, attributes: { email, email_verified: 'true' } });
  const storage = new MemoryStorage();
  const { session } = await authenticate(userPool(poolId, clientId, storage), storage, email, PASSWORD);
  assert.equal(session.getAccessToken().payload['username'], internal);
  assert.equal(session.getIdToken().payload['email'], email);
});

test('getSession refreshes with REFRESH_TOKEN_AUTH once the access token has expired', async () => {
  const { poolId, clientId } = await newPool();
  const user = await putUser(server, poolId, { username: `erin${++seq}` });
  const storage = new MemoryStorage();
  const pool = userPool(poolId, clientId, storage);
  const { session: first } = await authenticate(pool, storage, user.username, PASSWORD);

  // A fresh page load within the hour: the cached session is still valid, no call is made.
  calls.length = 0;
  assert.equal((await getSession(pool.getCurrentUser()!)).getAccessToken().getJwtToken(), first.getAccessToken().getJwtToken());
  assert.deepEqual(calls, []);

  // An hour and a minute later the access token has expired.
  const refreshed = await anHourLater(() => getSession(pool.getCurrentUser()!));
  assert.deepEqual(calls, ['InitiateAuth:REFRESH_TOKEN_AUTH']);
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), first.getAccessToken().getJwtToken());
  assert.ok(refreshed.isValid());
  assert.equal(refreshed.getAccessToken().payload['auth_time'], first.getAccessToken().payload['auth_time']);
  assert.equal(refreshed.getRefreshToken().getToken(), first.getRefreshToken().getToken(), 'the library keeps the refresh token');
});

test('a remembered device: ConfirmDevice after the first sign-in, DEVICE_SRP_AUTH on the next, then forgetDevice', async () => {
  const { poolId, clientId } = await newPool({
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
  });
  const user = await putUser(server, poolId, { username: `frank${++seq}` });
  const storage = new MemoryStorage();
  const pool = userPool(poolId, clientId, storage);
  const prefix = `CognitoIdentityServiceProvider.${clientId}.${user.username}`;

  const first = await authenticate(pool, storage, user.username, PASSWORD);
  assert.deepEqual(calls, ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
  assert.equal(first.userConfirmationNecessary, undefined, 'an always-remember pool needs no user confirmation');
  const deviceKey = storage.getItem(`${prefix}.deviceKey`);
  assert.ok(deviceKey);
  assert.ok(storage.getItem(`${prefix}.deviceGroupKey`));
  assert.ok(storage.getItem(`${prefix}.randomPasswordKey`));
  assert.equal(first.session.getAccessToken().payload['device_key'], deviceKey);

  // The next sign-in (a new page, the same browser) proves the device.
  calls.length = 0;
  const second = await authenticate(pool, storage, user.username, PASSWORD);
  assert.deepEqual(calls, [
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);
  assert.equal(second.session.getAccessToken().payload['device_key'], deviceKey);
  const listed = await server.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: user.username }));
  assert.deepEqual(
    listed.Devices?.map((d) => d.DeviceKey),
    [deviceKey],
  );

  // Refresh keeps the device: the library sends its DEVICE_KEY.
  calls.length = 0;
  const current = pool.getCurrentUser()!;
  const refreshed = await anHourLater(() => getSession(current));
  assert.deepEqual(calls, ['InitiateAuth:REFRESH_TOKEN_AUTH']);
  assert.equal(refreshed.getAccessToken().payload['device_key'], deviceKey);

  // forgetDevice stops tracking it and clears the library's copy.
  await new Promise<string>((resolve, reject) => current.forgetDevice({ onSuccess: resolve, onFailure: reject }));
  assert.equal(storage.getItem(`${prefix}.deviceKey`), null);
  const after = await server.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: user.username }));
  assert.deepEqual(after.Devices, []);

  // A sign-in that still names the forgotten device: "Device does not exist." makes the library
  // drop it and retry the same answer, then remember a new device.
  storage.setItem(`${prefix}.deviceKey`, deviceKey);
  storage.setItem(`${prefix}.deviceGroupKey`, 'stale');
  storage.setItem(`${prefix}.randomPasswordKey`, 'stale');
  calls.length = 0;
  const third = await authenticate(pool, storage, user.username, PASSWORD);
  assert.deepEqual(calls, [
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'ConfirmDevice',
  ]);
  const newKey = storage.getItem(`${prefix}.deviceKey`);
  assert.ok(newKey && newKey !== deviceKey);
  assert.equal(decodePayload(third.session.getAccessToken().getJwtToken())['device_key'], newKey);
});

test('a user-opt-in pool answers UserConfirmationNecessary; an unremembered device signs in without device SRP', async () => {
  const { poolId, clientId } = await newPool({
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
  });
  const user = await putUser(server, poolId, { username: `grace${++seq}` });
  const storage = new MemoryStorage();
  const pool = userPool(poolId, clientId, storage);
  const first = await authenticate(pool, storage, user.username, PASSWORD);
  assert.equal(first.userConfirmationNecessary, true);

  calls.length = 0;
  const second = await authenticate(pool, storage, user.username, PASSWORD);
  assert.deepEqual(calls, ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.equal(second.session.getAccessToken().payload['device_key'], undefined);

  await new Promise<string>((resolve, reject) => second.user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
  calls.length = 0;
  await authenticate(pool, storage, user.username, PASSWORD);
  assert.deepEqual(calls.slice(-2), ['RespondToAuthChallenge:DEVICE_SRP_AUTH', 'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER']);
});
