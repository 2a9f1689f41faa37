import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  type DeviceType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { createClient, createPool, putUser } from './auth-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { issueTokens } from '../../src/tokens/issue.js';
import { computeX, createVerifier, g, modPowN, padHex } from '../../src/crypto/srp.js';
import { deviceVerifierOf, newDeviceMetadata, recordDeviceSignIn, UNCONFIRMED_DEVICE_TTL_MS } from '../../src/auth/devices.js';
import type { UserRecord } from '../../src/store/ports.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = new FrozenClock(Math.floor(Date.now() / 1000) * 1000 + 250);
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

const NOT_FOUND = { name: 'ResourceNotFoundException', message: 'Device does not exist.' };
const INVALID_KEY = { name: 'InvalidParameterException', message: 'Invalid device key given.' };
const IP = '203.0.113.7';

/** amazon-cognito-identity-js, the reference client of device SRP. */
const require = createRequire(import.meta.url);
const { AuthenticationHelper } = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => {
    generateHashDevice(deviceGroupKey: string, username: string, callback: (err: unknown) => void): void;
    getVerifierDevices(): string;
    getSaltDevices(): string;
    getRandomPassword(): string;
  };
};

type Tracking = 'always' | 'opt-in' | 'off';

interface Signed {
  poolId: string;
  user: UserRecord;
  accessToken: string;
}

let seq = 0;

async function poolWith(tracking: Tracking): Promise<{ poolId: string; clientId: string }> {
  const DeviceConfiguration =
    tracking === 'off' ? undefined : { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: tracking === 'opt-in' };
  const poolId = await createPool(server, DeviceConfiguration ? { PoolName: 'devices', DeviceConfiguration } : { PoolName: 'devices' });
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

/** A user with a password and an access token, as a sign-in would leave them. */
async function signedInUser(poolId: string, clientId: string): Promise<Signed> {
  const { services } = server;
  const user = await putUser(server, poolId, { username: `user${++seq}` });
  const pool = (await services.store.pools.get(poolId))!;
  const client = (await services.store.clients.get(poolId, clientId))!;
  const tokens = await issueTokens(services, {
    source: 'TokenGeneration_Authentication',
    pool,
    client,
    user,
    authTime: services.clock.now(),
    refresh: 'none',
  });
  return { poolId, user, accessToken: tokens.AccessToken! };
}

async function signedIn(tracking: Tracking): Promise<Signed> {
  const { poolId, clientId } = await poolWith(tracking);
  return signedInUser(poolId, clientId);
}

async function newDevice(s: Signed): Promise<{ DeviceKey: string; DeviceGroupKey: string }> {
  const pool = (await server.services.store.pools.get(s.poolId))!;
  const metadata = await newDeviceMetadata(server.services, pool, s.user, IP);
  return { DeviceKey: metadata.DeviceKey!, DeviceGroupKey: metadata.DeviceGroupKey! };
}

interface DeviceSecret {
  password: string;
  /** Salt and verifier as the client computed them (padHex). */
  saltHex: string;
  verifierHex: string;
  config: { PasswordVerifier: string; Salt: string };
}

/**
 * The device secret and verifier exactly as amazon-cognito-identity-js `generateHashDevice` makes
 * them: poolName := DeviceGroupKey, username := DeviceKey, password := base64 of 40 random bytes,
 * salt := padHex of 16 random bytes; both sent as base64 of the bytes of their padHex.
 */
function deviceSecret(deviceGroupKey: string, deviceKey: string): DeviceSecret {
  const password = randomBytes(40).toString('base64');
  const saltHex = padHex(BigInt(`0x${randomBytes(16).toString('hex')}`));
  const verifierHex = padHex(modPowN(g, computeX(saltHex, deviceGroupKey, deviceKey, password)));
  return {
    password,
    saltHex,
    verifierHex,
    config: { PasswordVerifier: Buffer.from(verifierHex, 'hex').toString('base64'), Salt: Buffer.from(saltHex, 'hex').toString('base64') },
  };
}

/** A device confirmed through the API, with its secret. */
async function confirmedDevice(
  s: Signed,
  name = 'Test browser',
): Promise<{ deviceKey: string; deviceGroupKey: string; secret: DeviceSecret }> {
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const secret = deviceSecret(DeviceGroupKey, DeviceKey);
  await server.anonymous.send(
    new ConfirmDeviceCommand({ AccessToken: s.accessToken, DeviceKey, DeviceSecretVerifierConfig: secret.config, DeviceName: name }),
  );
  return { deviceKey: DeviceKey, deviceGroupKey: DeviceGroupKey, secret };
}

function attributesOf(device: DeviceType | undefined): Record<string, string> {
  return Object.fromEntries((device?.DeviceAttributes ?? []).map((a) => [a.Name!, a.Value!]));
}

async function storedDevice(poolId: string, deviceKey: string) {
  return (await server.services.store.devices.get(poolId, deviceKey))!;
}

function assertError(
  error: { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  expected: { name: string; message: string },
): void {
  assert.deepEqual({ name: error.name, message: error.message }, expected);
  assert.equal(error.$metadata?.httpStatusCode, 400, 'real Cognito answers 400 for every client error');
}

// ------------------------------------------------------------------ NewDeviceMetadata

test('newDeviceMetadata: a <region>_<uuid> key and a "-" + 8 alphanumerics group key, stored unconfirmed', async () => {
  const s = await signedIn('always');
  const metadata = await newDevice(s);
  assert.match(metadata.DeviceKey, /^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(metadata.DeviceGroupKey, /^-[A-Za-z0-9]{8}$/);
  const stored = await storedDevice(s.poolId, metadata.DeviceKey);
  assert.equal(stored.status, 'unconfirmed');
  assert.equal(stored.usernameKey, s.user.usernameKey);
  assert.equal(stored.lastIpUsed, IP);
  assert.equal(stored.sealedVerifier, null);
  assert.equal(deviceVerifierOf(server.services, stored), undefined);
});

test("newDeviceMetadata forgets the user's unconfirmed devices older than a day, and nothing else", async () => {
  const s = await signedIn('always');
  const stale = await newDevice(s);
  const kept = await confirmedDevice(s);
  const start = clock.now();
  try {
    clock.advance(UNCONFIRMED_DEVICE_TTL_MS + 1000);
    const fresh = await newDevice(s);
    assert.equal(await server.services.store.devices.get(s.poolId, stale.DeviceKey), undefined);
    assert.equal((await storedDevice(s.poolId, kept.deviceKey)).status, 'confirmed');
    assert.equal((await storedDevice(s.poolId, fresh.DeviceKey)).status, 'unconfirmed');
  } finally {
    clock.set(start);
  }
});

// ------------------------------------------------------------------ ConfirmDevice

test('ConfirmDevice in an always-remember pool: no user confirmation, device remembered, verifier round-trips', async () => {
  const s = await signedIn('always');
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const secret = deviceSecret(DeviceGroupKey, DeviceKey);
  const out = await server.anonymous.send(
    new ConfirmDeviceCommand({ AccessToken: s.accessToken, DeviceKey, DeviceSecretVerifierConfig: secret.config, DeviceName: 'My phone' }),
  );
  assert.equal(out.UserConfirmationNecessary, false);

  const stored = await storedDevice(s.poolId, DeviceKey);
  assert.equal(stored.status, 'confirmed');
  assert.equal(stored.rememberedStatus, 'remembered');
  assert.equal(stored.name, 'My phone');
  // Sealed at rest: neither value appears in the column.
  assert.ok(stored.sealedVerifier !== null && !stored.sealedVerifier.includes(secret.saltHex));
  const verifier = deviceVerifierOf(server.services, stored)!;
  assert.equal(verifier.salt, secret.saltHex);
  assert.equal(BigInt(`0x${verifier.verifier}`), BigInt(`0x${secret.verifierHex}`));
  // The server recomputes the same verifier from the client's secret.
  assert.deepEqual(verifier, await createVerifier(DeviceGroupKey, DeviceKey, secret.password, secret.saltHex));
  // The seal is bound to its device: moved to another row it does not open.
  assert.equal(deviceVerifierOf(server.services, { ...stored, deviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000' }), undefined);
});

test('ConfirmDevice takes the verifier amazon-cognito-identity-js generateHashDevice makes', async () => {
  const s = await signedIn('always');
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const helper = new AuthenticationHelper(s.poolId.split('_')[1]!);
  await new Promise<void>((resolve, reject) =>
    helper.generateHashDevice(DeviceGroupKey, DeviceKey, (err) => (err ? reject(err) : resolve())),
  );
  // As CognitoUser.authenticateUserInternal sends them.
  const config = {
    Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
    PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
  };
  const out = await server.anonymous.send(
    new ConfirmDeviceCommand({ AccessToken: s.accessToken, DeviceKey, DeviceSecretVerifierConfig: config, DeviceName: 'Mozilla/5.0' }),
  );
  assert.equal(out.UserConfirmationNecessary, false);
  const verifier = deviceVerifierOf(server.services, await storedDevice(s.poolId, DeviceKey))!;
  assert.equal(verifier.salt, helper.getSaltDevices());
  assert.equal(BigInt(`0x${verifier.verifier}`), BigInt(`0x${helper.getVerifierDevices()}`));
  assert.deepEqual(verifier, await createVerifier(DeviceGroupKey, DeviceKey, helper.getRandomPassword(), helper.getSaltDevices()));
});

test('ConfirmDevice in a user-opt-in pool answers UserConfirmationNecessary and leaves the device not remembered', async () => {
  const s = await signedIn('opt-in');
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const out = await server.anonymous.send(
    new ConfirmDeviceCommand({
      AccessToken: s.accessToken,
      DeviceKey,
      DeviceSecretVerifierConfig: deviceSecret(DeviceGroupKey, DeviceKey).config,
    }),
  );
  assert.equal(out.UserConfirmationNecessary, true);
  const stored = await storedDevice(s.poolId, DeviceKey);
  assert.equal(stored.status, 'confirmed');
  assert.equal(stored.rememberedStatus, 'not_remembered');
  assert.equal(stored.name, null);
});

test('ConfirmDevice twice: DeviceKeyExistsException', async () => {
  const s = await signedIn('always');
  const { deviceKey, deviceGroupKey } = await confirmedDevice(s);
  const error = await captureError(() =>
    server.anonymous.send(
      new ConfirmDeviceCommand({
        AccessToken: s.accessToken,
        DeviceKey: deviceKey,
        DeviceSecretVerifierConfig: deviceSecret(deviceGroupKey, deviceKey).config,
      }),
    ),
  );
  assertError(error, { name: 'DeviceKeyExistsException', message: 'Device key already exists.' });
});

test('ConfirmDevice of a key never issued, or issued to another user: Invalid device key given.', async () => {
  const { poolId, clientId } = await poolWith('always');
  const alice = await signedInUser(poolId, clientId);
  const bob = await signedInUser(poolId, clientId);
  const bobs = await newDevice(bob);
  for (const key of ['us-east-1_00000000-0000-4000-8000-000000000000', bobs.DeviceKey]) {
    const error = await captureError(() =>
      server.anonymous.send(
        new ConfirmDeviceCommand({
          AccessToken: alice.accessToken,
          DeviceKey: key,
          DeviceSecretVerifierConfig: deviceSecret(bobs.DeviceGroupKey, key).config,
        }),
      ),
    );
    assertError(error, INVALID_KEY);
  }
  assert.equal((await storedDevice(poolId, bobs.DeviceKey)).status, 'unconfirmed');
});

test('ConfirmDevice on a pool without device tracking: Invalid device key given.', async () => {
  const s = await signedIn('off');
  // Even a device left from when tracking was on is not confirmed any more.
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const error = await captureError(() =>
    server.anonymous.send(
      new ConfirmDeviceCommand({
        AccessToken: s.accessToken,
        DeviceKey,
        DeviceSecretVerifierConfig: deviceSecret(DeviceGroupKey, DeviceKey).config,
      }),
    ),
  );
  assertError(error, INVALID_KEY);
});

test('ConfirmDevice refuses a verifier config that is not base64 or not a verifier', async () => {
  const s = await signedIn('always');
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const good = deviceSecret(DeviceGroupKey, DeviceKey).config;
  const zero = Buffer.from([0]).toString('base64');
  const n = Buffer.from(padHex((1n << 3072n) - 1n), 'hex').toString('base64');
  for (const config of [
    { ...good, PasswordVerifier: 'not base64!' },
    { ...good, Salt: '' },
    { PasswordVerifier: good.PasswordVerifier },
    { ...good, PasswordVerifier: zero },
    { ...good, PasswordVerifier: n },
  ]) {
    const error = await captureError(() =>
      server.anonymous.send(new ConfirmDeviceCommand({ AccessToken: s.accessToken, DeviceKey, DeviceSecretVerifierConfig: config })),
    );
    assertError(error, { name: 'InvalidParameterException', message: 'Invalid device secret verifier config.' });
  }
  assert.equal((await storedDevice(s.poolId, DeviceKey)).status, 'unconfirmed');
});

test('device operations with a bad access token: NotAuthorizedException', async () => {
  const s = await signedIn('always');
  const { deviceKey } = await confirmedDevice(s);
  const bad = `${s.accessToken.slice(0, -4)}AAAA`;
  const calls = [
    () => server.anonymous.send(new ConfirmDeviceCommand({ AccessToken: bad, DeviceKey: deviceKey })),
    () => server.anonymous.send(new GetDeviceCommand({ AccessToken: bad, DeviceKey: deviceKey })),
    () => server.anonymous.send(new ListDevicesCommand({ AccessToken: bad })),
    () => server.anonymous.send(new ForgetDeviceCommand({ AccessToken: bad, DeviceKey: deviceKey })),
    () =>
      server.anonymous.send(
        new UpdateDeviceStatusCommand({ AccessToken: bad, DeviceKey: deviceKey, DeviceRememberedStatus: 'remembered' }),
      ),
    () => server.anonymous.send(new GetDeviceCommand({ DeviceKey: deviceKey })),
  ];
  for (const call of calls) assertError(await captureError(call), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
  assert.ok(await server.services.store.devices.get(s.poolId, deviceKey));
});

// ------------------------------------------------------------------ GetDevice / ListDevices

test('GetDevice: the DeviceType with its attributes and dates', async () => {
  const s = await signedIn('always');
  const { DeviceKey, DeviceGroupKey } = await newDevice(s);
  const created = clock.now();
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(1500, async () => {
    await server.anonymous.send(
      new ConfirmDeviceCommand({
        AccessToken: s.accessToken,
        DeviceKey,
        DeviceSecretVerifierConfig: deviceSecret(DeviceGroupKey, DeviceKey).config,
        DeviceName: 'Pixel 8',
      }),
    );
    const { Device } = await server.anonymous.send(new GetDeviceCommand({ AccessToken: s.accessToken, DeviceKey }));
    assert.deepEqual(Object.keys(Device!).sort(), [
      'DeviceAttributes',
      'DeviceCreateDate',
      'DeviceKey',
      'DeviceLastAuthenticatedDate',
      'DeviceLastModifiedDate',
    ]);
    assert.equal(Device!.DeviceKey, DeviceKey);
    assert.deepEqual(Device!.DeviceAttributes, [
      { Name: 'device_status', Value: 'valid' },
      { Name: 'device_name', Value: 'Pixel 8' },
      { Name: 'last_ip_used', Value: IP },
      { Name: 'dev:device_remembered_status', Value: 'remembered' },
    ]);
    assert.ok(Device!.DeviceCreateDate instanceof Date);
    assert.equal(Device!.DeviceCreateDate.getTime(), created);
    assert.equal(Device!.DeviceLastModifiedDate!.getTime(), clock.now());
    // Whole seconds, as Cognito reports it.
    assert.equal(Device!.DeviceLastAuthenticatedDate!.getTime(), Math.floor(created / 1000) * 1000);
  });
});

test("GetDevice, UpdateDeviceStatus and ForgetDevice: Device does not exist. for unknown, unconfirmed and other users' devices", async () => {
  const { poolId, clientId } = await poolWith('always');
  const alice = await signedInUser(poolId, clientId);
  const bob = await signedInUser(poolId, clientId);
  const unconfirmed = (await newDevice(alice)).DeviceKey;
  const bobs = (await confirmedDevice(bob)).deviceKey;
  for (const key of ['us-east-1_00000000-0000-4000-8000-000000000000', unconfirmed, bobs]) {
    const calls = [
      () => server.anonymous.send(new GetDeviceCommand({ AccessToken: alice.accessToken, DeviceKey: key })),
      () =>
        server.anonymous.send(
          new UpdateDeviceStatusCommand({ AccessToken: alice.accessToken, DeviceKey: key, DeviceRememberedStatus: 'not_remembered' }),
        ),
      () => server.anonymous.send(new ForgetDeviceCommand({ AccessToken: alice.accessToken, DeviceKey: key })),
    ];
    for (const call of calls) assertError(await captureError(call), NOT_FOUND);
  }
  // Bob's device is untouched.
  const still = await storedDevice(poolId, bobs);
  assert.equal(still.rememberedStatus, 'remembered');
});

test('ListDevices: only remembered devices, in pages of Limit with a PaginationToken', async () => {
  const s = await signedIn('always');
  const keys: string[] = [];
  for (let i = 0; i < 3; i++) keys.push((await confirmedDevice(s, `device ${i}`)).deviceKey);
  await newDevice(s); // unconfirmed: never listed
  const notRemembered = (await confirmedDevice(s, 'not remembered')).deviceKey;
  await server.anonymous.send(
    new UpdateDeviceStatusCommand({ AccessToken: s.accessToken, DeviceKey: notRemembered, DeviceRememberedStatus: 'not_remembered' }),
  );
  keys.sort();

  const first = await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken, Limit: 2 }));
  assert.deepEqual(
    first.Devices!.map((d) => d.DeviceKey),
    keys.slice(0, 2),
  );
  assert.equal(typeof first.PaginationToken, 'string');
  const second = await server.anonymous.send(
    new ListDevicesCommand({ AccessToken: s.accessToken, Limit: 2, PaginationToken: first.PaginationToken }),
  );
  assert.deepEqual(
    second.Devices!.map((d) => d.DeviceKey),
    keys.slice(2),
  );
  assert.equal(second.PaginationToken, undefined);
  const all = await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken }));
  assert.deepEqual(
    all.Devices!.map((d) => d.DeviceKey),
    keys,
  );
  assert.equal(attributesOf(all.Devices![0])['dev:device_remembered_status'], 'remembered');
});

test('ListDevices: nothing for a user without devices; a foreign PaginationToken is an InvalidParameterException', async () => {
  const s = await signedIn('always');
  const empty = await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken }));
  assert.deepEqual(empty.Devices, []);
  assert.equal(empty.PaginationToken, undefined);
  const error = await captureError(() =>
    server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken, PaginationToken: 'not-ours=' })),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.match(error.message, /^Paging marker not-ours= is invalid for request /);
});

// ------------------------------------------------------------------ UpdateDeviceStatus / ForgetDevice

test('UpdateDeviceStatus: the user-opt-in answer makes the device remembered and listed', async () => {
  const s = await signedIn('opt-in');
  const { deviceKey } = await confirmedDevice(s);
  assert.deepEqual((await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken }))).Devices, []);

  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(1000, async () => {
    const out = await server.anonymous.send(
      new UpdateDeviceStatusCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: 'remembered' }),
    );
    assert.deepEqual(
      Object.keys(out).filter((k) => k !== '$metadata'),
      [],
    );
    const listed = await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken }));
    assert.deepEqual(
      listed.Devices!.map((d) => d.DeviceKey),
      [deviceKey],
    );
    assert.equal(listed.Devices![0]!.DeviceLastModifiedDate!.getTime(), clock.now());

    await server.anonymous.send(
      new UpdateDeviceStatusCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: 'not_remembered' }),
    );
    assert.deepEqual((await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken }))).Devices, []);
    // Still tracked: GetDevice reports it, not remembered.
    const { Device } = await server.anonymous.send(new GetDeviceCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey }));
    assert.equal(attributesOf(Device)['dev:device_remembered_status'], 'not_remembered');
  });
});

test('ForgetDevice: the device is gone for every device operation', async () => {
  const s = await signedIn('always');
  const { deviceKey } = await confirmedDevice(s);
  const out = await server.anonymous.send(new ForgetDeviceCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey }));
  assert.deepEqual(
    Object.keys(out).filter((k) => k !== '$metadata'),
    [],
  );
  assert.equal(await server.services.store.devices.get(s.poolId, deviceKey), undefined);
  assertError(
    await captureError(() => server.anonymous.send(new GetDeviceCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey }))),
    NOT_FOUND,
  );
  assertError(
    await captureError(() => server.anonymous.send(new ForgetDeviceCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey }))),
    NOT_FOUND,
  );
  assertError(
    await captureError(() =>
      server.admin.send(new AdminGetDeviceCommand({ UserPoolId: s.poolId, Username: s.user.username, DeviceKey: deviceKey })),
    ),
    NOT_FOUND,
  );
});

// ------------------------------------------------------------------ sign-in bookkeeping

test('recordDeviceSignIn updates last_ip_used and the last authenticated and modified dates', async () => {
  const s = await signedIn('always');
  const { deviceKey } = await confirmedDevice(s);
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(2750, async () => {
    await recordDeviceSignIn(server.services, await storedDevice(s.poolId, deviceKey), '198.51.100.20');
    const { Device } = await server.anonymous.send(new GetDeviceCommand({ AccessToken: s.accessToken, DeviceKey: deviceKey }));
    assert.equal(attributesOf(Device)['last_ip_used'], '198.51.100.20');
    assert.equal(Device!.DeviceLastAuthenticatedDate!.getTime(), Math.floor(clock.now() / 1000) * 1000);
    assert.equal(Device!.DeviceLastModifiedDate!.getTime(), clock.now());
    // The verifier is kept.
    assert.ok(deviceVerifierOf(server.services, await storedDevice(s.poolId, deviceKey)));
  });
});

// ------------------------------------------------------------------ Admin*

test('AdminGetDevice and AdminListDevices: every tracked device of the user, remembered or not', async () => {
  const s = await signedIn('opt-in');
  const a = (await confirmedDevice(s, 'A')).deviceKey;
  const b = (await confirmedDevice(s, 'B')).deviceKey;
  await newDevice(s); // unconfirmed: never listed
  await server.anonymous.send(
    new UpdateDeviceStatusCommand({ AccessToken: s.accessToken, DeviceKey: b, DeviceRememberedStatus: 'remembered' }),
  );

  const { Device } = await server.admin.send(new AdminGetDeviceCommand({ UserPoolId: s.poolId, Username: s.user.username, DeviceKey: a }));
  assert.equal(Device!.DeviceKey, a);
  assert.deepEqual(attributesOf(Device), {
    device_status: 'valid',
    device_name: 'A',
    last_ip_used: IP,
    'dev:device_remembered_status': 'not_remembered',
  });
  assert.ok(Device!.DeviceCreateDate instanceof Date);

  const sorted = [a, b].sort();
  const first = await server.admin.send(new AdminListDevicesCommand({ UserPoolId: s.poolId, Username: s.user.username, Limit: 1 }));
  assert.deepEqual(
    first.Devices!.map((d) => d.DeviceKey),
    [sorted[0]],
  );
  const second = await server.admin.send(
    new AdminListDevicesCommand({ UserPoolId: s.poolId, Username: s.user.username, Limit: 1, PaginationToken: first.PaginationToken }),
  );
  assert.deepEqual(
    second.Devices!.map((d) => d.DeviceKey),
    [sorted[1]],
  );
  assert.equal(second.PaginationToken, undefined);
  // The user's own listing has the remembered one only.
  const own = await server.anonymous.send(new ListDevicesCommand({ AccessToken: s.accessToken }));
  assert.deepEqual(
    own.Devices!.map((d) => d.DeviceKey),
    [b],
  );
});

test('AdminUpdateDeviceStatus and AdminForgetDevice', async () => {
  const s = await signedIn('always');
  const { deviceKey } = await confirmedDevice(s);
  const who = { UserPoolId: s.poolId, Username: s.user.username, DeviceKey: deviceKey };
  const updated = await server.admin.send(new AdminUpdateDeviceStatusCommand({ ...who, DeviceRememberedStatus: 'not_remembered' }));
  assert.deepEqual(
    Object.keys(updated).filter((k) => k !== '$metadata'),
    [],
  );
  assert.equal((await storedDevice(s.poolId, deviceKey)).rememberedStatus, 'not_remembered');
  const forgotten = await server.admin.send(new AdminForgetDeviceCommand(who));
  assert.deepEqual(
    Object.keys(forgotten).filter((k) => k !== '$metadata'),
    [],
  );
  assert.equal(await server.services.store.devices.get(s.poolId, deviceKey), undefined);
  assertError(await captureError(() => server.admin.send(new AdminForgetDeviceCommand(who))), NOT_FOUND);
  assertError(
    await captureError(() => server.admin.send(new AdminUpdateDeviceStatusCommand({ ...who, DeviceRememberedStatus: 'remembered' }))),
    NOT_FOUND,
  );
});

test("Admin device operations: unknown pool, unknown user, another user's device", async () => {
  const { poolId, clientId } = await poolWith('always');
  const alice = await signedInUser(poolId, clientId);
  const bob = await signedInUser(poolId, clientId);
  const bobs = (await confirmedDevice(bob)).deviceKey;
  const missingPool = 'us-east-1_NoSuchPol';

  const forPool = (UserPoolId: string, Username: string, DeviceKey: string) => [
    () => server.admin.send(new AdminGetDeviceCommand({ UserPoolId, Username, DeviceKey })),
    () => server.admin.send(new AdminForgetDeviceCommand({ UserPoolId, Username, DeviceKey })),
    () => server.admin.send(new AdminUpdateDeviceStatusCommand({ UserPoolId, Username, DeviceKey, DeviceRememberedStatus: 'remembered' })),
  ];
  for (const call of [
    ...forPool(missingPool, alice.user.username, bobs),
    () => server.admin.send(new AdminListDevicesCommand({ UserPoolId: missingPool, Username: 'x' })),
  ]) {
    assertError(await captureError(call), { name: 'ResourceNotFoundException', message: `User pool ${missingPool} does not exist.` });
  }
  for (const call of [
    ...forPool(poolId, 'nobody', bobs),
    () => server.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'nobody' })),
  ]) {
    assertError(await captureError(call), { name: 'UserNotFoundException', message: 'User does not exist.' });
  }
  for (const call of forPool(poolId, alice.user.username, bobs)) assertError(await captureError(call), NOT_FOUND);
  const list = await server.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: alice.user.username }));
  assert.deepEqual(list.Devices, []);
  // Admin calls need SigV4 credentials the server knows.
  const unsigned = await captureError(() =>
    server.anonymous.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: bob.user.username, DeviceKey: bobs })),
  );
  assert.equal(unsigned.name, 'UnrecognizedClientException');
  assert.equal((await storedDevice(poolId, bobs)).rememberedStatus, 'remembered');
});
