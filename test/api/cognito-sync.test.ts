import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateIdentityPoolCommand, GetIdCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import {
  CognitoSyncClient,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeIdentityPoolUsageCommand,
  ListDatasetsCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
  type RecordPatch,
} from '@aws-sdk/client-cognito-sync';
import { fromCognitoIdentity, fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { identityClients, type IdentityClients } from './identity-fixtures.js';

/*
 * Cognito Sync through @aws-sdk/client-cognito-sync, signed with an identity's own temporary
 * credentials as apps sign it (fromCognitoIdentityPool / fromCognitoIdentity): devices syncing one
 * identity's datasets, conflicts, session tokens, limits, and another identity's data refused.
 */

let server: TestServer;
let clients: IdentityClients;
const clock = serverForTests((started) => {
  server = started;
  clients = identityClients(server);
});

const clientConfig = (): { endpoint: string; region: string; maxAttempts: number } => ({
  endpoint: server.url,
  region: 'us-east-1',
  maxAttempts: 1,
});

/** A Sync client signed with these credentials (a device, or the admin). */
function syncClient(credentials: AwsCredentialIdentityProvider | TestServer['adminKey']): CognitoSyncClient {
  return new CognitoSyncClient({ ...clientConfig(), credentials });
}

/** An identity pool that allows guests, with both roles. */
async function identityPool(): Promise<string> {
  const { IdentityPoolId } = await clients.identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'sync', AllowUnauthenticatedIdentities: true }),
  );
  await clients.identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId,
      Roles: { authenticated: 'arn:aws:iam::000000000000:role/app-user', unauthenticated: 'arn:aws:iam::000000000000:role/app-guest' },
    }),
  );
  return IdentityPoolId!;
}

/** A device of an identity: a Sync client with credentials of its own for that identity, its clock at the server's. */
function device(identityId: string): CognitoSyncClient {
  return new CognitoSyncClient({
    ...clientConfig(),
    credentials: fromCognitoIdentity({ identityId, clientConfig: clientConfig() }),
    systemClockOffset: clock.now() - Date.now(),
  });
}

/** A new guest identity of the pool. */
async function guest(pool: string): Promise<string> {
  return (await clients.unsigned.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId!;
}

function replace(Key: string, Value: string, SyncCount: number): RecordPatch {
  return { Op: 'replace', Key, Value, SyncCount };
}

test('a device signed in with fromCognitoIdentityPool creates a dataset; a second device of the identity pulls it and pushes a change back', async () => {
  const pool = await identityPool();
  const credentials = fromCognitoIdentityPool({ identityPoolId: pool, clientConfig: clientConfig() });
  const { identityId } = await credentials();
  const phone = syncClient(credentials);
  const laptop = device(identityId);
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'settings' };

  const fresh = await phone.send(new ListRecordsCommand(where));
  assert.equal(fresh.DatasetExists, false);
  assert.equal(fresh.DatasetSyncCount, 0);
  assert.deepEqual(fresh.Records, []);
  const pushed = await phone.send(
    new UpdateRecordsCommand({
      ...where,
      SyncSessionToken: fresh.SyncSessionToken,
      DeviceId: 'phone',
      RecordPatches: [replace('theme', 'dark', 0), { ...replace('volume', '7', 0), DeviceLastModifiedDate: new Date(1_700_000_000_000) }],
    }),
  );
  assert.deepEqual(
    pushed.Records!.map((r) => [r.Key, r.Value, r.SyncCount, r.LastModifiedBy]),
    [
      ['theme', 'dark', 1, identityId],
      ['volume', '7', 1, identityId],
    ],
  );
  assert.equal(pushed.Records![1]!.DeviceLastModifiedDate!.getTime(), 1_700_000_000_000);

  const pulled = await laptop.send(new ListRecordsCommand({ ...where, LastSyncCount: 0 }));
  assert.equal(pulled.DatasetExists, true);
  assert.equal(pulled.DatasetSyncCount, 1);
  assert.deepEqual(
    pulled.Records!.map((r) => [r.Key, r.Value, r.SyncCount]),
    [
      ['theme', 'dark', 1],
      ['volume', '7', 1],
    ],
  );
  await laptop.send(
    new UpdateRecordsCommand({
      ...where,
      SyncSessionToken: pulled.SyncSessionToken,
      RecordPatches: [replace('theme', 'light', 1), { Op: 'remove', Key: 'volume', SyncCount: 1 }],
    }),
  );

  // The phone asks for what changed since its count: the new theme, and the removal without a value.
  const changes = await phone.send(new ListRecordsCommand({ ...where, LastSyncCount: 1 }));
  assert.equal(changes.DatasetSyncCount, 2);
  assert.deepEqual(
    changes.Records!.map((r) => [r.Key, r.Value, r.SyncCount]),
    [
      ['theme', 'light', 2],
      ['volume', undefined, 2],
    ],
  );
  const described = (await phone.send(new DescribeDatasetCommand(where))).Dataset!;
  assert.equal(described.NumRecords, 1);
  assert.equal(described.DataStorage, 'theme'.length + 'light'.length);
  assert.equal(described.LastModifiedBy, identityId);
  assert.equal(described.CreationDate!.getTime(), Math.floor(clock.now() / 1000) * 1000);
  const listed = await phone.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: identityId }));
  assert.deepEqual(
    listed.Datasets!.map((d) => d.DatasetName),
    ['settings'],
  );
  assert.equal(listed.Count, 1);
  phone.destroy();
  laptop.destroy();
});

test('a device that missed a change gets the conflict with both counts, 409, and nothing of its update is written', async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const [a, b] = [device(identityId), device(identityId)];
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'game' };
  const first = await a.send(new ListRecordsCommand(where));
  await a.send(new UpdateRecordsCommand({ ...where, SyncSessionToken: first.SyncSessionToken, RecordPatches: [replace('level', '1', 0)] }));

  const [seenByA, seenByB] = [await a.send(new ListRecordsCommand(where)), await b.send(new ListRecordsCommand(where))];
  await b.send(
    new UpdateRecordsCommand({ ...where, SyncSessionToken: seenByB.SyncSessionToken, RecordPatches: [replace('level', '2', 1)] }),
  );
  const conflict = await captureError(() =>
    a.send(
      new UpdateRecordsCommand({
        ...where,
        SyncSessionToken: seenByA.SyncSessionToken,
        RecordPatches: [replace('score', '10', 0), replace('level', '3', 1)],
      }),
    ),
  );
  assert.equal(conflict.name, 'ResourceConflictException');
  assert.equal(conflict.$metadata?.httpStatusCode, 409);
  assert.equal(conflict.message, 'Current SyncCount for: level is: 2 not: 1');
  const after = await a.send(new ListRecordsCommand(where));
  assert.equal(after.DatasetSyncCount, 2);
  assert.deepEqual(
    after.Records!.map((r) => [r.Key, r.Value]),
    [['level', '2']],
  );
  a.destroy();
  b.destroy();
});

test('two devices updating the same record at once: exactly one wins, the other gets the conflict', async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const devices = [device(identityId), device(identityId), device(identityId)];
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'race' };
  const seed = await devices[0]!.send(new ListRecordsCommand(where));
  await devices[0]!.send(
    new UpdateRecordsCommand({ ...where, SyncSessionToken: seed.SyncSessionToken, RecordPatches: [replace('k', 'v0', 0)] }),
  );
  const tokens = await Promise.all(devices.map(async (d) => (await d.send(new ListRecordsCommand(where))).SyncSessionToken));
  const outcomes = await Promise.allSettled(
    devices.map((d, i) =>
      d.send(new UpdateRecordsCommand({ ...where, SyncSessionToken: tokens[i], RecordPatches: [replace('k', `v${i + 1}`, 1)] })),
    ),
  );
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  assert.equal(won.length, 1);
  assert.deepEqual(
    lost.map((o) => (o.reason as Error).name),
    ['ResourceConflictException', 'ResourceConflictException'],
  );
  const after = await devices[0]!.send(new ListRecordsCommand(where));
  assert.equal(after.DatasetSyncCount, 2);
  assert.equal(after.Records![0]!.Value, (won[0] as PromiseFulfilledResult<{ Records?: { Value?: string }[] }>).value.Records![0]!.Value);
  for (const d of devices) d.destroy();
});

test('a sync session token works once, only for its dataset, and a forged one is refused as Cognito refuses it', async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const phone = device(identityId);
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'notes' };
  const { SyncSessionToken } = await phone.send(new ListRecordsCommand(where));
  const refusedWith = async (token: string, DatasetName = 'notes', from = phone): Promise<void> => {
    const error = await captureError(() =>
      from.send(new UpdateRecordsCommand({ ...where, DatasetName, SyncSessionToken: token, RecordPatches: [replace('n', 'x', 0)] })),
    );
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(error.message, 'SyncSessionToken not valid for these inputs');
  };
  const forged = SyncSessionToken!.slice(0, -2) + (SyncSessionToken!.endsWith('AA') ? 'AB' : 'AA');
  await refusedWith(forged);
  await refusedWith('not-a-token');
  await refusedWith(SyncSessionToken!, 'other');
  await phone.send(new UpdateRecordsCommand({ ...where, SyncSessionToken, RecordPatches: [replace('n', 'first', 0)] }));
  await refusedWith(SyncSessionToken!);
  // An hour later a token from ListRecords is no good either.
  const { SyncSessionToken: late } = await phone.send(new ListRecordsCommand(where));
  clock.advance(3600_000);
  const later = device(identityId);
  await refusedWith(late!, 'notes', later);
  clock.advance(-3600_000);
  later.destroy();
  phone.destroy();
});

test("another identity's datasets are refused with NotAuthorizedException, and an identity's credentials open no pool-level operation", async () => {
  const pool = await identityPool();
  const [owner, other] = [await guest(pool), await guest(pool)];
  const intruder = device(other);
  const error = await captureError(() =>
    intruder.send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: owner, DatasetName: 'd' })),
  );
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.$metadata?.httpStatusCode, 403);
  assert.equal(error.message, `Access to Identity '${owner}' is forbidden.`);
  const deleting = await captureError(() =>
    intruder.send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: owner, DatasetName: 'd' })),
  );
  assert.equal(deleting.name, 'NotAuthorizedException');
  const usage = await captureError(() => intruder.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool })));
  assert.equal(usage.name, 'AccessDeniedException');
  intruder.destroy();
});

test('a deleted dataset is gone, and a device that synced it learns it was deleted after its count', async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const phone = device(identityId);
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'temp' };
  const { SyncSessionToken } = await phone.send(new ListRecordsCommand(where));
  await phone.send(new UpdateRecordsCommand({ ...where, SyncSessionToken, RecordPatches: [replace('a', '1', 0)] }));
  const deleted = await phone.send(new DeleteDatasetCommand(where));
  assert.equal(deleted.Dataset!.NumRecords, 1);
  const missing = await captureError(() => phone.send(new DescribeDatasetCommand(where)));
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.$metadata?.httpStatusCode, 404);
  const listed = await phone.send(new ListRecordsCommand({ ...where, LastSyncCount: 1 }));
  assert.equal(listed.DatasetExists, false);
  assert.equal(listed.DatasetDeletedAfterRequestedSyncCount, true);
  assert.deepEqual(listed.Records, []);
  assert.deepEqual((await phone.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: identityId }))).Datasets, []);
  // Written again, it carries on from the deleted one's count.
  await phone.send(
    new UpdateRecordsCommand({ ...where, SyncSessionToken: listed.SyncSessionToken, RecordPatches: [replace('b', '2', 0)] }),
  );
  assert.equal((await phone.send(new ListRecordsCommand(where))).DatasetSyncCount, 3);
  phone.destroy();
});

test("limits: 20 datasets per identity, 1024 records and 1 MB per dataset, and the model's dataset name rules", async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const phone = device(identityId);
  const update = async (DatasetName: string, RecordPatches: RecordPatch[]): Promise<void> => {
    const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName };
    const { SyncSessionToken } = await phone.send(new ListRecordsCommand(where));
    await phone.send(new UpdateRecordsCommand({ ...where, SyncSessionToken, RecordPatches }));
  };
  for (let i = 0; i < 20; i++) await update(`set-${String(i).padStart(2, '0')}`, [replace('k', 'v', 0)]);
  const tooMany = await captureError(() => update('set-20', [replace('k', 'v', 0)]));
  assert.equal(tooMany.name, 'LimitExceededException');
  assert.equal(tooMany.$metadata?.httpStatusCode, 400);

  const records = Array.from({ length: 1024 }, (_, i) => replace(`r${i}`, 'x', 0));
  await update('set-00', records.slice(1));
  const overRecords = await captureError(() => update('set-00', [replace('one-more', 'x', 0)]));
  assert.equal(overRecords.name, 'LimitExceededException');

  const big = 'x'.repeat(600 * 1024);
  await update('set-01', [replace('big-1', big, 0)]);
  const overBytes = await captureError(() => update('set-01', [replace('big-2', big, 0)]));
  assert.equal(overBytes.name, 'LimitExceededException');
  const dataset = (await phone.send(new DescribeDatasetCommand({ IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'set-01' })))
    .Dataset!;
  assert.equal(dataset.DataStorage, 1 + 1 + 'big-1'.length + big.length);

  const badName = await captureError(() =>
    phone.send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'no spaces' })),
  );
  assert.equal(badName.name, 'InvalidParameterException');
  assert.match(
    badName.message,
    /^1 validation error detected: Value 'no spaces' at 'datasetName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
  phone.destroy();
});

test('ListRecords pages the changed records by key with MaxResults and NextToken', async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const phone = device(identityId);
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'pages' };
  const { SyncSessionToken } = await phone.send(new ListRecordsCommand(where));
  const keys = ['a', 'b', 'c', 'd', 'e'];
  await phone.send(new UpdateRecordsCommand({ ...where, SyncSessionToken, RecordPatches: keys.map((k) => replace(k, k, 0)) }));
  const seen: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await phone.send(new ListRecordsCommand({ ...where, MaxResults: 2, NextToken }));
    assert.ok(page.Records!.length <= 2);
    seen.push(...page.Records!.map((r) => r.Key!));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.deepEqual(seen, keys);
  const beyond = await captureError(() => phone.send(new ListRecordsCommand({ ...where, LastSyncCount: 5 })));
  assert.equal(beyond.name, 'InvalidParameterException');
  assert.equal(beyond.message, 'No such SyncCount: 5 exists for this Dataset');
  phone.destroy();
});

test("a web page of any origin may sync with an identity's own credentials, but not with the admin keys", async () => {
  const pool = await identityPool();
  const identityId = await guest(pool);
  const fromPage = <T extends CognitoSyncClient>(client: T): T => {
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['origin'] = 'https://app.example';
        return next(args);
      },
      { step: 'build' },
    );
    return client;
  };
  const preflight = await fetch(`${server.url}/identitypools/${encodeURIComponent(pool)}/identities/x/datasets/web`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, x-amz-security-token',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization, x-amz-security-token');
  const phone = fromPage(device(identityId));
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'web' };
  assert.equal((await phone.send(new ListRecordsCommand(where))).DatasetExists, false);
  const admin = fromPage(syncClient(server.adminKey));
  const refused = await captureError(() => admin.send(new ListRecordsCommand(where)));
  assert.equal(refused.name, 'NotAuthorizedException');
  assert.equal(refused.$metadata?.httpStatusCode, 403);
  phone.destroy();
  admin.destroy();
});
