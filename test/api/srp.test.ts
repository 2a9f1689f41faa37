import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminDisableUserCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateDeviceStatusCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser, secretHash } from './auth-fixtures.js';
import { deviceSecret, initiateSrp, passwordVerifierResponses, poolNameOf, srpExchange, srpSignIn, timestampAt } from './srp-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { formatTimestamp } from '../../src/crypto/srp.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = new FrozenClock(Math.floor(Date.now() / 1000) * 1000 + 250);
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

let seq = 0;
const uniqueName = (prefix = 'srp'): string => `${prefix}${++seq}`;

async function expectError(fn: () => Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
  assert.equal(error.$metadata?.httpStatusCode, 400);
}

function assertTokens(result: AuthenticationResultType | undefined): AuthenticationResultType {
  assert.ok(result);
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  assert.ok(result.AccessToken && result.IdToken && result.RefreshToken);
  return result;
}

test('USER_SRP_AUTH answers PASSWORD_VERIFIER without a Session, and a right proof signs in', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });

  const signIn = await initiateSrp(server, poolId, clientId, user.username);
  assert.equal(signIn.initiated.ChallengeName, 'PASSWORD_VERIFIER');
  assert.equal(signIn.initiated.Session, undefined);
  assert.equal(signIn.initiated.AuthenticationResult, undefined);
  assert.deepEqual(Object.keys(signIn.params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  assert.equal(signIn.params['USERNAME'], user.username);
  assert.equal(signIn.params['USER_ID_FOR_SRP'], user.username);
  assert.match(signIn.params['SALT']!, /^[0-9a-f]{32}$/);
  assert.match(signIn.params['SRP_B']!, /^[0-9a-f]+$/);
  assert.match(signIn.params['SECRET_BLOCK']!, /^[A-Za-z0-9+/]+={0,2}$/, 'standard base64');

  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: await passwordVerifierResponses(server, signIn, PASSWORD),
    }),
  );
  assert.equal(answered.ChallengeName, undefined);
  assert.deepEqual(answered.ChallengeParameters, {});
  const tokens = assertTokens(answered.AuthenticationResult);
  assert.equal(tokens.NewDeviceMetadata, undefined, 'no device tracking in this pool');
  const access = decodePayload(tokens.AccessToken!);
  assert.equal(access['username'], user.username);
  assert.equal(access['device_key'], undefined);
  assert.equal(decodePayload(tokens.IdToken!)['sub'], user.sub);
});

test('the salt is the stored one: two challenges for a user share SALT, never SRP_B or SECRET_BLOCK', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });
  const first = await initiateSrp(server, poolId, clientId, user.username);
  const second = await initiateSrp(server, poolId, clientId, user.username);
  assert.equal(first.params['SALT'], second.params['SALT']);
  assert.notEqual(first.params['SRP_B'], second.params['SRP_B']);
  assert.notEqual(first.params['SECRET_BLOCK'], second.params['SECRET_BLOCK']);
});

test('AdminInitiateAuth and AdminRespondToAuthChallenge run USER_SRP_AUTH too', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });
  const exchange = await srpExchange(poolNameOf(poolId));
  const initiated = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: user.username, SRP_A: exchange.A },
    }),
  );
  assert.equal(initiated.ChallengeName, 'PASSWORD_VERIFIER');
  assert.equal(initiated.Session, undefined);
  const params = initiated.ChallengeParameters!;
  const timestamp = timestampAt(server);
  const signature = await exchange.sign({
    userId: params['USER_ID_FOR_SRP']!,
    password: PASSWORD,
    salt: params['SALT']!,
    srpB: params['SRP_B']!,
    secretBlock: params['SECRET_BLOCK']!,
    timestamp,
  });
  const answered = await server.admin.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        USERNAME: params['USER_ID_FOR_SRP']!,
        PASSWORD_CLAIM_SECRET_BLOCK: params['SECRET_BLOCK']!,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: signature,
      },
    }),
  );
  assertTokens(answered.AuthenticationResult);
});

test('a right proof over a TIMESTAMP more than a day off is refused, and the block still takes a timely answer', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });
  const signIn = await initiateSrp(server, poolId, clientId, user.username);
  const answer = async (overrides: { TIMESTAMP?: string }) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: await passwordVerifierResponses(server, signIn, PASSWORD, overrides),
      }),
    );
  // Cognito takes a TIMESTAMP within a day of its clock (clients' clocks drift); 25 hours is out.
  const yesterday = formatTimestamp(clock.now() - 25 * 3_600_000);
  await expectError(() => answer({ TIMESTAMP: yesterday }), 'NotAuthorizedException', 'Incorrect username or password.');
  assertTokens((await answer({})).AuthenticationResult);
});

test('an answer naming another existing user is refused before any attempt is counted, and the block stays good for its own user', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });
  const other = await putUser(server, poolId, { username: uniqueName() });
  const signIn = await initiateSrp(server, poolId, clientId, user.username);
  const answer = async (USERNAME?: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: await passwordVerifierResponses(server, signIn, PASSWORD, USERNAME ? { USERNAME } : {}),
      }),
    );
  // Six answers naming the other user: none counts toward either lockout, none spends the block.
  for (let i = 0; i < 6; i++) {
    await expectError(() => answer(other.username), 'NotAuthorizedException', 'Incorrect username or password.');
  }
  assertTokens((await answer()).AuthenticationResult);
});

test('a wrong password is NotAuthorizedException "Incorrect username or password.", and five of them lock the user out', async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });
  for (let i = 0; i < 5; i++) {
    await expectError(
      () => srpSignIn(server, poolId, clientId, user.username, 'Wrong-Horse-9'),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
  }
  await expectError(
    () => srpSignIn(server, poolId, clientId, user.username, PASSWORD),
    'NotAuthorizedException',
    'Password attempts exceeded',
  );
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(2000, async () => {
    assertTokens((await srpSignIn(server, poolId, clientId, user.username, PASSWORD)).AuthenticationResult);
  });
});

test('a client with a secret needs SECRET_HASH at both steps: of the typed name, then of the internal username', async () => {
  const poolId = await createPool(server, { AliasAttributes: ['email'] });
  const { clientId, clientSecret } = await createClient(server, poolId, { GenerateSecret: true });
  const email = `${uniqueName()}@example.com`;
  const user = await putUser(server, poolId, { username: uniqueName(), attributes: { email, email_verified: 'true' } });
  const secret = clientSecret!;

  await expectError(
    () => initiateSrp(server, poolId, clientId, user.username),
    'NotAuthorizedException',
    `Client ${clientId} is configured for secret but secret was not received`,
  );
  await expectError(
    () => initiateSrp(server, poolId, clientId, user.username, { SECRET_HASH: secretHash(secret, 'someone-else', clientId) }),
    'NotAuthorizedException',
    `Unable to verify secret hash for client ${clientId}`,
  );

  const signIn = await initiateSrp(server, poolId, clientId, email, { SECRET_HASH: secretHash(secret, email, clientId) });
  assert.equal(signIn.params['USER_ID_FOR_SRP'], user.username);
  const responses = await passwordVerifierResponses(server, signIn, PASSWORD);
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }),
      ),
    'NotAuthorizedException',
    `Client ${clientId} is configured for secret but secret was not received`,
  );
  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: { ...responses, SECRET_HASH: secretHash(secret, user.username, clientId) },
    }),
  );
  assertTokens(answered.AuthenticationResult);
});

test('an alias sign-in proves the password of the internal username (USER_ID_FOR_SRP)', async () => {
  const poolId = await createPool(server, { AliasAttributes: ['email', 'preferred_username'] });
  const { clientId } = await createClient(server, poolId);
  const email = `${uniqueName()}@example.com`;
  const user = await putUser(server, poolId, {
    username: uniqueName(),
    attributes: { email, email_verified: 'true', preferred_username: uniqueName('pref') },
  });
  for (const typed of [email, user.attributes['preferred_username']!]) {
    const signIn = await initiateSrp(server, poolId, clientId, typed);
    assert.equal(signIn.params['USER_ID_FOR_SRP'], user.username);
    assert.equal(signIn.params['USERNAME'], user.username);
    const answered = await server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: await passwordVerifierResponses(server, signIn, PASSWORD),
      }),
    );
    assert.equal(decodePayload(assertTokens(answered.AuthenticationResult).AccessToken!)['username'], user.username);
  }
  // An unverified email is no alias.
  const other = `${uniqueName()}@example.com`;
  await putUser(server, poolId, { username: uniqueName(), attributes: { email: other, email_verified: 'false' } });
  await expectError(() => initiateSrp(server, poolId, clientId, other), 'UserNotFoundException', 'User does not exist.');
});

test('in an email-as-username pool USER_ID_FOR_SRP is the UUID username, also when the answer names the email', async () => {
  const poolId = await createPool(server, { UsernameAttributes: ['email'] });
  const { clientId } = await createClient(server, poolId);
  const email = `${uniqueName()}@example.com`;
  const internal = crypto.randomUUID();
  const user = await putUser(server, poolId, { username: internal, attributes: { email, email_verified: 'true' } });
  const signIn = await initiateSrp(server, poolId, clientId, email);
  assert.equal(signIn.params['USER_ID_FOR_SRP'], user.username);
  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: await passwordVerifierResponses(server, signIn, PASSWORD, { USERNAME: email }),
    }),
  );
  assert.equal(decodePayload(assertTokens(answered.AuthenticationResult).IdToken!)['cognito:username'], internal);
});

test('an unknown user is UserNotFoundException, or with PreventUserExistenceErrors a decoy challenge whose proof fails', async () => {
  const poolId = await createPool(server, { UsernameAttributes: ['email'] });
  const legacy = await createClient(server, poolId, { PreventUserExistenceErrors: 'LEGACY' });
  await expectError(
    () => initiateSrp(server, poolId, legacy.clientId, 'nobody@example.com'),
    'UserNotFoundException',
    'User does not exist.',
  );

  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  const first = await initiateSrp(server, poolId, hiding.clientId, 'nobody@example.com');
  const second = await initiateSrp(server, poolId, hiding.clientId, 'nobody@example.com');
  assert.equal(first.initiated.ChallengeName, 'PASSWORD_VERIFIER');
  assert.deepEqual(Object.keys(first.params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  assert.equal(first.params['SALT'], second.params['SALT'], 'a stable salt, as a real user has');
  assert.equal(first.params['USER_ID_FOR_SRP'], second.params['USER_ID_FOR_SRP']);
  assert.match(
    first.params['USER_ID_FOR_SRP']!,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'looks like an internal username',
  );
  assert.match(first.params['SALT']!, /^[0-9a-f]{32}$/);
  await expectError(
    async () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: hiding.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: await passwordVerifierResponses(server, first, PASSWORD),
        }),
      ),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
});

test("a user's sub is not a sign-in name for SRP (UserNotFoundException, as measured on AWS)", async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: uniqueName() });
  await expectError(() => initiateSrp(server, poolId, clientId, user.sub), 'UserNotFoundException', 'User does not exist.');
});

test("the user's state is checked after the proof: disabled, unconfirmed, temporary password", async () => {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  const disabled = await putUser(server, poolId, { username: uniqueName() });
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabled.username }));
  await expectError(
    () => srpSignIn(server, poolId, clientId, disabled.username, 'Wrong-Horse-9'),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
  await expectError(() => srpSignIn(server, poolId, clientId, disabled.username, PASSWORD), 'NotAuthorizedException', 'User is disabled.');

  const unconfirmed = await putUser(server, poolId, { username: uniqueName(), status: 'UNCONFIRMED' });
  await expectError(
    () => srpSignIn(server, poolId, clientId, unconfirmed.username, PASSWORD),
    'UserNotConfirmedException',
    'User is not confirmed.',
  );

  const temporary = await putUser(server, poolId, { username: uniqueName(), status: 'FORCE_CHANGE_PASSWORD' });
  const answered = await srpSignIn(server, poolId, clientId, temporary.username, PASSWORD);
  assert.equal(answered.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.ok(answered.Session);
  assert.equal(answered.ChallengeParameters?.['USER_ID_FOR_SRP'], temporary.username);
});

test('USER_SRP_AUTH needs ALLOW_USER_SRP_AUTH, USERNAME and SRP_A', async () => {
  const poolId = await createPool(server);
  const passwordOnly = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const exchange = await srpExchange(poolNameOf(poolId));
  await expectError(
    () =>
      server.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: passwordOnly.clientId,
          AuthParameters: { USERNAME: 'x', SRP_A: exchange.A },
        }),
      ),
    'InvalidParameterException',
    'USER_SRP_AUTH is not enabled for the client.',
  );
  const { clientId } = await createClient(server, poolId);
  await expectError(
    () =>
      server.anonymous.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'x' } })),
    'InvalidParameterException',
    'Missing required parameter SRP_A',
  );
  await expectError(
    () =>
      server.anonymous.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { SRP_A: exchange.A } }),
      ),
    'InvalidParameterException',
    'Missing required parameter USERNAME',
  );
});

// ---------------------------------------------------------------------------------------------
// Devices

const DEVICE_NOT_FOUND = { name: 'ResourceNotFoundException', message: 'Device does not exist.' };

async function trackingPool(remember: 'always' | 'opt-in'): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, {
    PoolName: 'devices',
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: remember === 'opt-in' },
  });
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

interface Remembered {
  deviceKey: string;
  deviceGroupKey: string;
  password: string;
  tokens: AuthenticationResultType;
}

/** First sign-in on a tracking pool, then ConfirmDevice with a device secret, as the JS clients do. */
async function rememberDevice(poolId: string, clientId: string, username: string): Promise<Remembered> {
  const first = await srpSignIn(server, poolId, clientId, username, PASSWORD);
  const tokens = assertTokens(first.AuthenticationResult);
  const metadata = tokens.NewDeviceMetadata;
  assert.ok(metadata?.DeviceKey && metadata.DeviceGroupKey);
  const secret = await deviceSecret(metadata.DeviceGroupKey, metadata.DeviceKey);
  await server.anonymous.send(
    new ConfirmDeviceCommand({
      AccessToken: tokens.AccessToken!,
      DeviceKey: metadata.DeviceKey,
      DeviceSecretVerifierConfig: secret.config,
      DeviceName: 'test',
    }),
  );
  return { deviceKey: metadata.DeviceKey, deviceGroupKey: metadata.DeviceGroupKey, password: secret.password, tokens };
}

/** Answers DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER for a remembered device. */
async function proveDevice(
  clientId: string,
  username: string,
  device: Remembered,
  session: string,
  devicePassword = device.password,
): Promise<AuthenticationResultType | undefined> {
  const exchange = await srpExchange(device.deviceGroupKey);
  const step = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'DEVICE_SRP_AUTH',
      Session: session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: exchange.A },
    }),
  );
  assert.equal(step.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
  assert.ok(step.Session);
  const params = step.ChallengeParameters!;
  assert.deepEqual(Object.keys(params).sort(), ['DEVICE_KEY', 'SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME']);
  assert.equal(params['DEVICE_KEY'], device.deviceKey);
  assert.equal(params['USERNAME'], username);
  const timestamp = timestampAt(server);
  const signature = await exchange.sign({
    userId: device.deviceKey,
    password: devicePassword,
    salt: params['SALT']!,
    srpB: params['SRP_B']!,
    secretBlock: params['SECRET_BLOCK']!,
    timestamp,
  });
  const done = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
      Session: step.Session,
      ChallengeResponses: {
        USERNAME: username,
        DEVICE_KEY: device.deviceKey,
        PASSWORD_CLAIM_SECRET_BLOCK: params['SECRET_BLOCK']!,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: signature,
      },
    }),
  );
  return done.AuthenticationResult;
}

test('on a pool that tracks devices a sign-in gets NewDeviceMetadata, and its tokens name the new device', async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const first = assertTokens((await srpSignIn(server, poolId, clientId, user.username, PASSWORD)).AuthenticationResult);
  const metadata = first.NewDeviceMetadata!;
  assert.deepEqual(Object.keys(metadata).sort(), ['DeviceGroupKey', 'DeviceKey']);
  const region = poolId.split('_')[0]!;
  assert.match(metadata.DeviceKey!, new RegExp(`^${region}_[0-9a-f-]{36}$`));
  assert.match(metadata.DeviceGroupKey!, /^-[A-Za-z0-9]{8}$/);
  assert.equal(decodePayload(first.AccessToken!)['device_key'], metadata.DeviceKey);

  // The password flows get one too.
  const password = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: user.username, PASSWORD } }),
  );
  assert.ok(password.AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
  assert.notEqual(password.AuthenticationResult.NewDeviceMetadata.DeviceKey, metadata.DeviceKey);
});

test('a remembered device signs in through DEVICE_SRP_AUTH; its tokens carry device_key and its sign-in is recorded', async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const device = await rememberDevice(poolId, clientId, user.username);

  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(5000, async () => {
    const verified = await srpSignIn(server, poolId, clientId, user.username, PASSWORD, { respond: { DEVICE_KEY: device.deviceKey } });
    assert.equal(verified.ChallengeName, 'DEVICE_SRP_AUTH');
    assert.ok(verified.Session);
    assert.deepEqual(verified.ChallengeParameters, {});
    assert.equal(verified.AuthenticationResult, undefined);

    const tokens = assertTokens(await proveDevice(clientId, user.username, device, verified.Session));
    assert.equal(tokens.NewDeviceMetadata, undefined);
    assert.equal(decodePayload(tokens.AccessToken!)['device_key'], device.deviceKey);
    const got = await server.admin.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: user.username, DeviceKey: device.deviceKey }),
    );
    assert.equal(got.Device?.DeviceLastAuthenticatedDate?.getTime(), Math.floor(clock.now() / 1000) * 1000);
    assert.ok(got.Device?.DeviceAttributes?.some((a) => a.Name === 'last_ip_used' && a.Value === '127.0.0.1'));

    // USER_PASSWORD_AUTH with the device's key goes the same way.
    const byPassword = await server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD, DEVICE_KEY: device.deviceKey },
      }),
    );
    assert.equal(byPassword.ChallengeName, 'DEVICE_SRP_AUTH');
    assert.equal(
      decodePayload(assertTokens(await proveDevice(clientId, user.username, device, byPassword.Session!)).AccessToken!)['device_key'],
      device.deviceKey,
    );
  });
});

test("DEVICE_SRP_AUTH must answer for the device the sign-in named, not another of the user's devices", async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const named = await rememberDevice(poolId, clientId, user.username);
  const other = await rememberDevice(poolId, clientId, user.username);
  const verified = await srpSignIn(server, poolId, clientId, user.username, PASSWORD, { respond: { DEVICE_KEY: named.deviceKey } });
  assert.equal(verified.ChallengeName, 'DEVICE_SRP_AUTH');
  const exchange = await srpExchange(other.deviceGroupKey);
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          Session: verified.Session,
          ChallengeResponses: { USERNAME: user.username, DEVICE_KEY: other.deviceKey, SRP_A: exchange.A },
        }),
      ),
    'NotAuthorizedException',
    'Invalid session for the user.',
  );
});

test('a wrong device secret fails DEVICE_PASSWORD_VERIFIER, and the sessions of the device steps are single use', async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const device = await rememberDevice(poolId, clientId, user.username);
  const verified = await srpSignIn(server, poolId, clientId, user.username, PASSWORD, { respond: { DEVICE_KEY: device.deviceKey } });
  await expectError(
    () => proveDevice(clientId, user.username, device, verified.Session!, 'not-the-device-secret'),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
  await expectError(
    () => proveDevice(clientId, user.username, device, verified.Session!),
    'NotAuthorizedException',
    'Invalid session for the user.',
  );
});

test('an unknown or forgotten DEVICE_KEY is "Device does not exist.", and the same answer without it still signs in', async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const device = await rememberDevice(poolId, clientId, user.username);
  await server.anonymous.send(new ForgetDeviceCommand({ AccessToken: device.tokens.AccessToken!, DeviceKey: device.deviceKey }));

  const signIn = await initiateSrp(server, poolId, clientId, user.username);
  const responses = await passwordVerifierResponses(server, signIn, PASSWORD);
  const error = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: { ...responses, DEVICE_KEY: device.deviceKey },
      }),
    ),
  );
  assert.deepEqual({ name: error.name, message: error.message }, DEVICE_NOT_FOUND);
  // amazon-cognito-identity-js retries this very answer without DEVICE_KEY.
  const retried = await server.anonymous.send(
    new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }),
  );
  assert.ok(assertTokens(retried.AuthenticationResult).NewDeviceMetadata?.DeviceKey);

  const unknown = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD, DEVICE_KEY: `${poolId.split('_')[0]}_${crypto.randomUUID()}` },
      }),
    ),
  );
  assert.deepEqual({ name: unknown.name, message: unknown.message }, DEVICE_NOT_FOUND);
});

test('a tracked device the user did not remember signs in without device authentication', async () => {
  const { poolId, clientId } = await trackingPool('opt-in');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const device = await rememberDevice(poolId, clientId, user.username);
  const answered = await srpSignIn(server, poolId, clientId, user.username, PASSWORD, { respond: { DEVICE_KEY: device.deviceKey } });
  const tokens = assertTokens(answered.AuthenticationResult);
  assert.equal(tokens.NewDeviceMetadata, undefined, 'the sign-in named a known device');
  assert.equal(decodePayload(tokens.AccessToken!)['device_key'], undefined, 'the device was not proven');

  await server.anonymous.send(
    new UpdateDeviceStatusCommand({
      AccessToken: device.tokens.AccessToken!,
      DeviceKey: device.deviceKey,
      DeviceRememberedStatus: 'remembered',
    }),
  );
  const remembered = await srpSignIn(server, poolId, clientId, user.username, PASSWORD, { respond: { DEVICE_KEY: device.deviceKey } });
  assert.equal(remembered.ChallengeName, 'DEVICE_SRP_AUTH');
});

test('a refresh token bound to a device needs its DEVICE_KEY, keeps device_key, and dies with the forgotten device', async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const device = await rememberDevice(poolId, clientId, user.username);
  const verified = await srpSignIn(server, poolId, clientId, user.username, PASSWORD, { respond: { DEVICE_KEY: device.deviceKey } });
  const tokens = assertTokens(await proveDevice(clientId, user.username, device, verified.Session!));
  const refresh = (deviceKey?: string) =>
    server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
      }),
    );

  const refreshed = await refresh(device.deviceKey);
  assert.equal(decodePayload(refreshed.AuthenticationResult!.AccessToken!)['device_key'], device.deviceKey);
  assert.equal(refreshed.AuthenticationResult?.RefreshToken, undefined);
  const viaGetTokens = await server.anonymous.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken!, DeviceKey: device.deviceKey }),
  );
  assert.equal(decodePayload(viaGetTokens.AuthenticationResult!.AccessToken!)['device_key'], device.deviceKey);

  await expectError(() => refresh(), 'NotAuthorizedException', 'Invalid Refresh Token');
  await expectError(() => refresh(`${poolId.split('_')[0]}_${crypto.randomUUID()}`), 'NotAuthorizedException', 'Invalid Refresh Token');
  await expectError(
    () => server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken! })),
    'NotAuthorizedException',
    'Invalid Refresh Token',
  );

  await server.anonymous.send(new ForgetDeviceCommand({ AccessToken: tokens.AccessToken!, DeviceKey: device.deviceKey }));
  await expectError(() => refresh(device.deviceKey), 'NotAuthorizedException', 'Invalid Refresh Token');
});

test('a refresh token of a sign-in whose new device was never confirmed does not refresh (as AWS answers)', async () => {
  const { poolId, clientId } = await trackingPool('always');
  const user = await putUser(server, poolId, { username: uniqueName() });
  const tokens = assertTokens((await srpSignIn(server, poolId, clientId, user.username, PASSWORD)).AuthenticationResult);
  await expectError(
    () =>
      server.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: clientId,
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, DEVICE_KEY: tokens.NewDeviceMetadata!.DeviceKey! },
        }),
      ),
    'NotAuthorizedException',
    'Invalid Refresh Token',
  );
});
