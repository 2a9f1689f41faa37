import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
} from 'amazon-cognito-identity-js';
import {
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { MemoryStorage, recordApiCalls } from '../support/client-storage.js';
import { totpAt } from '../support/totp.js';
import { PASSWORD, putUser } from '../api/auth-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';

/*
 * MFA through amazon-cognito-identity-js, as an app written for Cognito drives it: the
 * `totpRequired`, `mfaSetup`, `mfaRequired` and `selectMFAType` callbacks of authenticateUser,
 * `associateSoftwareToken` (`associateSecretCode`), `verifySoftwareToken`, `sendMFACode`,
 * `sendMFASelectionAnswer` and `setUserMfaPreference`, and remembered devices standing in for MFA
 * (`setDeviceStatusRemembered`, `forgetDevice`). Its sign-in is USER_SRP_AUTH.
 */

const clock = new FrozenClock(Math.floor(Date.now() / 1000) * 1000 + 250);
let server: TestServer;
let seq = 0;
const SMS_CONFIGURATION = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'cognate' };

/** Every call the library makes, as `Operation` or `Operation:<ChallengeName or AuthFlow>`. */
const calls: string[] = [];
let stopRecording = (): void => {};

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

async function newPool(
  mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>,
  extra: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ poolId: string; pool: CognitoUserPool; storage: MemoryStorage }> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: `mfa-js-${++seq}`, ...extra }));
  const poolId = created.UserPool!.Id!;
  await server.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const storage = new MemoryStorage();
  const pool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: client.UserPoolClient!.ClientId!,
    endpoint: server.url,
    Storage: storage,
  });
  return { poolId, pool, storage };
}

/** What authenticateUser ended in: a session, or the name of the MFA callback it called. */
type Outcome =
  | { kind: 'session'; session: CognitoUserSession; userConfirmationNecessary?: boolean }
  | { kind: 'totpRequired' | 'mfaSetup' | 'mfaRequired' | 'selectMFAType'; parameters: Record<string, string> };

/** Callbacks that settle a promise with whichever the library calls. */
function settle(resolve: (outcome: Outcome) => void, reject: (error: unknown) => void): IAuthenticationCallback {
  return {
    onSuccess: (session, userConfirmationNecessary) =>
      resolve({ kind: 'session', session, ...(userConfirmationNecessary === undefined ? {} : { userConfirmationNecessary }) }),
    onFailure: reject,
    newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    totpRequired: (_name, parameters) => resolve({ kind: 'totpRequired', parameters: parameters as Record<string, string> }),
    mfaSetup: (_name, parameters) => resolve({ kind: 'mfaSetup', parameters: parameters as Record<string, string> }),
    mfaRequired: (_name, parameters) => resolve({ kind: 'mfaRequired', parameters: parameters as Record<string, string> }),
    selectMFAType: (_name, parameters) => resolve({ kind: 'selectMFAType', parameters: parameters as Record<string, string> }),
  };
}

function authenticate(user: CognitoUser, username: string): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), settle(resolve, reject)),
  );
}

function sendMfaCode(user: CognitoUser, code: string, type?: 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA'): Promise<Outcome> {
  return new Promise((resolve, reject) => user.sendMFACode(code, settle(resolve, reject), type));
}

function associate(user: CognitoUser): Promise<string> {
  return new Promise((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
}

function verify(user: CognitoUser, code: string, name: string): Promise<unknown> {
  return new Promise((resolve, reject) => user.verifySoftwareToken(code, name, { onSuccess: resolve, onFailure: reject }));
}

function session(outcome: Outcome): CognitoUserSession {
  if (outcome.kind !== 'session') throw new Error(`expected a session, got ${outcome.kind}`);
  return outcome.session;
}

/** A user of the pool who enrolled an authenticator through the library and turned TOTP on. */
async function enrolled(pool: CognitoUserPool, storage: MemoryStorage, poolId: string): Promise<{ username: string; secret: string }> {
  const username = `js${++seq}`;
  await putUser(server, poolId, { username });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  session(await authenticate(user, username));
  const secret = await associate(user);
  await verify(user, totpAt(secret, clock.now()), 'Phone');
  await new Promise((resolve, reject) =>
    user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err, result) => (err ? reject(err) : resolve(result))),
  );
  clock.advance(30_000);
  user.signOut();
  return { username, secret };
}

test('totpRequired: sign-in asks for the authenticator code and sendMFACode completes it', async () => {
  const { poolId, pool, storage } = await newPool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
  const { username, secret } = await enrolled(pool, storage, poolId);
  calls.length = 0;
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: new MemoryStorage() });
  const challenge = await authenticate(user, username);
  assert.deepEqual(challenge, { kind: 'totpRequired', parameters: { FRIENDLY_DEVICE_NAME: 'Phone' } });
  const done = session(await sendMfaCode(user, totpAt(secret, clock.now()), 'SOFTWARE_TOKEN_MFA'));
  assert.equal(done.getAccessToken().payload['username'], username);
  assert.deepEqual(calls, [
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:SOFTWARE_TOKEN_MFA',
  ]);
});

test('mfaSetup: MFA ON enrols the authenticator during sign-in with associateSecretCode and verifySoftwareToken', async () => {
  const { poolId, pool, storage } = await newPool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
  const username = `setup${++seq}`;
  await putUser(server, poolId, { username });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  assert.deepEqual(await authenticate(user, username), { kind: 'mfaSetup', parameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } });
  const secret = await associate(user);
  const done = (await verify(user, totpAt(secret, clock.now()), 'Laptop')) as CognitoUserSession;
  assert.ok(done.isValid());
  assert.deepEqual(calls.slice(2), ['AssociateSoftwareToken', 'VerifySoftwareToken', 'RespondToAuthChallenge:MFA_SETUP']);
});

test('mfaRequired: SMS MFA sends a code that sendMFACode answers', async () => {
  const { poolId, pool, storage } = await newPool(
    { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION } },
    { SmsConfiguration: SMS_CONFIGURATION },
  );
  const username = `sms${++seq}`;
  await putUser(server, poolId, { username, attributes: { phone_number: '+15555550142' } });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } }),
  );
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  const challenge = await authenticate(user, username);
  assert.deepEqual(challenge, {
    kind: 'mfaRequired',
    parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0142' },
  });
  const code = (await server.lastMessage(poolId, username, 'mfa'))!.code!;
  assert.ok(session(await sendMfaCode(user, code)).isValid());
});

test('selectMFAType: a user with two factors chooses with sendMFASelectionAnswer', async () => {
  const { poolId, pool, storage } = await newPool(
    {
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    },
    { SmsConfiguration: SMS_CONFIGURATION },
  );
  const { username, secret } = await enrolled(pool, storage, poolId);
  await server.services.store.users.update({
    ...(await server.services.store.users.get(poolId, username))!,
    attributes: { ...(await server.services.store.users.get(poolId, username))!.attributes, phone_number: '+15555550143' },
  });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId,
      Username: username,
      SMSMfaSettings: { Enabled: true, PreferredMfa: false },
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
    }),
  );
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: new MemoryStorage() });
  assert.deepEqual(await authenticate(user, username), {
    kind: 'selectMFAType',
    parameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' },
  });
  const chosen = await new Promise<Outcome>((resolve, reject) =>
    user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', settle(resolve, reject)),
  );
  assert.equal(chosen.kind, 'totpRequired');
  assert.ok(session(await sendMfaCode(user, totpAt(secret, clock.now()), 'SOFTWARE_TOKEN_MFA')).isValid());
});

test('a remembered device skips MFA when the pool says ChallengeRequiredOnNewDevice', async () => {
  const { poolId, pool, storage } = await newPool(
    { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } },
    { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } },
  );
  const { username, secret } = await enrolled(pool, new MemoryStorage(), poolId);
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  assert.equal((await authenticate(user, username)).kind, 'totpRequired');
  session(await sendMfaCode(user, totpAt(secret, clock.now()), 'SOFTWARE_TOKEN_MFA'));
  assert.ok(calls.includes('ConfirmDevice'), 'the library confirmed (and so remembered) the device');

  calls.length = 0;
  const again = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  assert.ok(session(await authenticate(again, username)).isValid(), 'no MFA on the remembered device');
  assert.deepEqual(calls, [
    'InitiateAuth:USER_SRP_AUTH',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);
});

test('without ChallengeRequiredOnNewDevice, a remembered device still answers MFA, then DEVICE_SRP_AUTH', async () => {
  const { poolId, pool, storage } = await newPool(
    { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } },
    { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } },
  );
  const { username, secret } = await enrolled(pool, new MemoryStorage(), poolId);
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  assert.equal((await authenticate(user, username)).kind, 'totpRequired');
  session(await sendMfaCode(user, totpAt(secret, clock.now()), 'SOFTWARE_TOKEN_MFA'));
  const clientId = pool.getClientId();
  const deviceKey = storage.getItem(`CognitoIdentityServiceProvider.${clientId}.${username}.deviceKey`);
  assert.ok(deviceKey, 'the library remembered the device');
  clock.advance(30_000);

  // The library answers DEVICE_SRP_AUTH after MFA with the MFA challenge's Session, not the one
  // that came with DEVICE_SRP_AUTH; Amplify v6 uses the new one. The order is shown through the SDK.
  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD, DEVICE_KEY: deviceKey },
    }),
  );
  assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA', 'the remembered device does not replace MFA');
  const next = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.now()), DEVICE_KEY: deviceKey },
    }),
  );
  assert.deepEqual([next.ChallengeName, next.ChallengeParameters, typeof next.Session], ['DEVICE_SRP_AUTH', {}, 'string']);
});

/** A user of an MFA ON pool who enrolled an authenticator at their first sign-in (MFA_SETUP), in another browser. */
async function enrolledAtSetup(pool: CognitoUserPool): Promise<{ username: string; secret: string }> {
  const username = `dev${++seq}`;
  await putUser(server, pool.getUserPoolId(), { username });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: new MemoryStorage() });
  assert.equal((await authenticate(user, username)).kind, 'mfaSetup');
  const secret = await associate(user);
  await verify(user, totpAt(secret, clock.now()), 'Phone');
  clock.advance(30_000);
  return { username, secret };
}

function remember(user: CognitoUser): Promise<string> {
  return new Promise((resolve, reject) => user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
}

function forget(user: CognitoUser): Promise<string> {
  return new Promise((resolve, reject) => user.forgetDevice({ onSuccess: resolve, onFailure: reject }));
}

for (const onPrompt of [false, true]) {
  test(`MFA ON: a device remembered with setDeviceStatusRemembered skips TOTP until forgetDevice (DeviceOnlyRememberedOnUserPrompt ${onPrompt})`, async () => {
    const { pool, storage } = await newPool(
      { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } },
      { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: onPrompt } },
    );
    const { username, secret } = await enrolledAtSetup(pool);
    const prefix = `CognitoIdentityServiceProvider.${pool.getClientId()}.${username}`;

    // A new browser: the password, then the authenticator; the library confirms the new device.
    calls.length = 0;
    const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
    assert.deepEqual(await authenticate(user, username), { kind: 'totpRequired', parameters: { FRIENDLY_DEVICE_NAME: 'Phone' } });
    const first = await sendMfaCode(user, totpAt(secret, clock.now()), 'SOFTWARE_TOKEN_MFA');
    assert.equal(first.kind, 'session');
    const asked = first.kind === 'session' ? first.userConfirmationNecessary : undefined;
    assert.equal(asked, onPrompt ? true : undefined, 'only a user-prompt pool asks the user');
    assert.deepEqual(calls, [
      'InitiateAuth:USER_SRP_AUTH',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:SOFTWARE_TOKEN_MFA',
      'ConfirmDevice',
    ]);
    const deviceKey = storage.getItem(`${prefix}.deviceKey`);
    assert.ok(deviceKey, 'the library keeps the device key');
    assert.equal(session(first).getAccessToken().payload['device_key'], deviceKey);
    clock.advance(30_000);

    if (onPrompt) {
      // Confirmed but not yet remembered: the device does not stand in for the second factor.
      calls.length = 0;
      const unremembered = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
      assert.equal((await authenticate(unremembered, username)).kind, 'totpRequired');
      session(await sendMfaCode(unremembered, totpAt(secret, clock.now()), 'SOFTWARE_TOKEN_MFA'));
      assert.deepEqual(calls, [
        'InitiateAuth:USER_SRP_AUTH',
        'RespondToAuthChallenge:PASSWORD_VERIFIER',
        'RespondToAuthChallenge:SOFTWARE_TOKEN_MFA',
      ]);
      clock.advance(30_000);
    }
    assert.equal(await remember(user), 'SUCCESS');

    // The same browser again: the device proves itself instead of the authenticator.
    calls.length = 0;
    const again = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
    const second = session(await authenticate(again, username));
    assert.deepEqual(calls, [
      'InitiateAuth:USER_SRP_AUTH',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:DEVICE_SRP_AUTH',
      'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
    ]);
    assert.equal(second.getAccessToken().payload['device_key'], deviceKey);

    // Forgotten, the device no longer counts: MFA is asked again.
    assert.equal(await forget(again), 'SUCCESS');
    assert.equal(storage.getItem(`${prefix}.deviceKey`), null, "forgetDevice clears the library's copy");
    calls.length = 0;
    const afterForget = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
    assert.equal((await authenticate(afterForget, username)).kind, 'totpRequired');
    assert.deepEqual(calls, ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);

    // A browser that still holds the forgotten key is told "Device does not exist.", drops it and
    // retries, and is asked for MFA too.
    storage.setItem(`${prefix}.deviceKey`, deviceKey);
    storage.setItem(`${prefix}.deviceGroupKey`, 'stale');
    storage.setItem(`${prefix}.randomPasswordKey`, 'stale');
    calls.length = 0;
    const stale = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
    assert.equal((await authenticate(stale, username)).kind, 'totpRequired');
    assert.deepEqual(calls, [
      'InitiateAuth:USER_SRP_AUTH',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
    ]);
  });
}
