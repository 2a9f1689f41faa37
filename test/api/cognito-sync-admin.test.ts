import { after, test } from 'node:test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  BulkPublishCommand,
  CognitoSyncClient,
  DescribeIdentityPoolUsageCommand,
  DescribeIdentityUsageCommand,
  GetBulkPublishDetailsCommand,
  GetCognitoEventsCommand,
  GetIdentityPoolConfigurationCommand,
  ListDatasetsCommand,
  ListIdentityPoolUsageCommand,
  ListRecordsCommand,
  RegisterDeviceCommand,
  SetCognitoEventsCommand,
  SetIdentityPoolConfigurationCommand,
  SubscribeToDatasetCommand,
  UnsubscribeFromDatasetCommand,
  UpdateRecordsCommand,
  type RecordPatch,
} from '@aws-sdk/client-cognito-sync';
import { fromCognitoIdentity } from '@aws-sdk/credential-providers';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { identityClients, type IdentityClients } from './identity-fixtures.js';
import { functionArn, moduleFunctions } from '../support/functions.js';

/*
 * Cognito Sync's pool-level operations with the admin keys (usage, events, configuration, bulk
 * publish), push devices and subscriptions, datasets following MergeDeveloperIdentities, and the
 * protocol's answers to bad requests.
 */

const sink = join(mkdtempSync(join(tmpdir(), 'cognate-sync-')), 'bulk.jsonl');

/** The push webhook: a local server that keeps what it receives. */
const pushed: Array<Record<string, unknown>> = [];
const webhook: Server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    pushed.push(JSON.parse(body) as Record<string, unknown>);
    response.writeHead(204).end();
  });
});
// Listening before the Cognate server is set up, so its settings can name the webhook's port.
await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
after(() => webhook.close());

/** Waits until the webhook has received `count` notifications, or fails saying so. */
async function pushesReceived(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pushed.length < count) {
    if (Date.now() > deadline) assert.fail(`the push webhook received ${pushed.length} notifications, not ${count}, within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
let server: TestServer;
let clients: IdentityClients;
let admin: CognitoSyncClient;
const clock = serverForTests(
  (started) => {
    server = started;
    clients = identityClients(server);
    admin = new CognitoSyncClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  },
  {
    syncPushWebhook: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/push`,
    syncBulkPublishFile: sink,
    functions: moduleFunctions({
      // As the developer guide writes a SyncTrigger: change the records, return the event.
      'on-sync': `export async function handler(event) {
        for (const [key, record] of Object.entries(event.datasetRecords)) {
          if (key === 'shout') record.newValue = record.newValue.toUpperCase();
          if (key === 'secret') record.op = 'remove';
          if (key === 'plain' && record.oldValue !== null) record.newValue += ' (was ' + record.oldValue + ')';
        }
        return event;
      }`,
      'no-records': 'export async function handler() { return { ok: true }; }',
    }),
  },
);

const DEVELOPER = 'login.sync.app';

async function identityPool(name = 'sync'): Promise<string> {
  const { IdentityPoolId } = await clients.identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: true, DeveloperProviderName: DEVELOPER }),
  );
  await clients.identity.send(
    new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: 'arn:aws:iam::000000000000:role/app-guest' } }),
  );
  return IdentityPoolId!;
}

function device(identityId: string): CognitoSyncClient {
  return new CognitoSyncClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: fromCognitoIdentity({ identityId, clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 } }),
    systemClockOffset: clock.now() - Date.now(),
  });
}

/** Writes records to an identity's dataset as its device would: ListRecords for the token, then UpdateRecords. */
async function write(client: CognitoSyncClient, pool: string, identityId: string, DatasetName: string, RecordPatches: RecordPatch[]) {
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName };
  const { SyncSessionToken } = await client.send(new ListRecordsCommand(where));
  return client.send(new UpdateRecordsCommand({ ...where, SyncSessionToken, RecordPatches }));
}

test('usage: the pool counts sync sessions and bytes, the identity its datasets, and ListIdentityPoolUsage pages every pool', async () => {
  const pool = await identityPool();
  const identityId = (await clients.unsigned.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId!;
  const empty = (await admin.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool }))).IdentityPoolUsage!;
  assert.deepEqual([empty.SyncSessionsCount, empty.DataStorage, empty.LastModifiedDate], [0, 0, undefined]);

  // The admin keys may write an identity's data too, as AWS's developer credentials may.
  await write(admin, pool, identityId, 'a', [{ Op: 'replace', Key: 'k', Value: 'vv', SyncCount: 0 }]);
  await write(admin, pool, identityId, 'b', [{ Op: 'replace', Key: 'key', Value: 'value', SyncCount: 0 }]);
  const usage = (await admin.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool }))).IdentityPoolUsage!;
  assert.equal(usage.SyncSessionsCount, 2);
  assert.equal(usage.DataStorage, 3 + 8);
  assert.equal(usage.LastModifiedDate!.getTime(), Math.floor(clock.now() / 1000) * 1000);
  const identityUsage = (await admin.send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: identityId })))
    .IdentityUsage!;
  assert.deepEqual([identityUsage.DatasetCount, identityUsage.DataStorage, identityUsage.IdentityPoolId], [2, 11, pool]);

  const second = await identityPool('second');
  const seen: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await admin.send(new ListIdentityPoolUsageCommand({ MaxResults: 1, NextToken }));
    assert.equal(page.MaxResults, 1);
    seen.push(...page.IdentityPoolUsages!.map((u) => u.IdentityPoolId!));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.ok(seen.includes(pool) && seen.includes(second));
  assert.deepEqual(seen, [...seen].sort());

  const missing = await captureError(() =>
    admin.send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' })),
  );
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.$metadata?.httpStatusCode, 404);
});

test('events and configuration are stored and answered; only SyncTrigger is an event', async () => {
  const pool = await identityPool();
  assert.deepEqual((await admin.send(new GetCognitoEventsCommand({ IdentityPoolId: pool }))).Events, {});
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:on-sync';
  await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger: arn } }));
  assert.deepEqual((await admin.send(new GetCognitoEventsCommand({ IdentityPoolId: pool }))).Events, { SyncTrigger: arn });
  const unknown = await captureError(() => admin.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { Other: arn } })));
  assert.equal(unknown.name, 'InvalidParameterException');
  await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger: '' } }));
  assert.deepEqual((await admin.send(new GetCognitoEventsCommand({ IdentityPoolId: pool }))).Events, {});

  const none = await admin.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: pool }));
  assert.deepEqual([none.IdentityPoolId, none.PushSync, none.CognitoStreams], [pool, undefined, undefined]);
  const PushSync = {
    ApplicationArns: ['arn:aws:sns:us-east-1:000000000000:app/GCM/my-app'],
    RoleArn: 'arn:aws:iam::000000000000:role/push',
  };
  const set = await admin.send(
    new SetIdentityPoolConfigurationCommand({
      IdentityPoolId: pool,
      PushSync,
      CognitoStreams: { StreamName: 'sync-stream', RoleArn: 'arn:aws:iam::000000000000:role/streams' },
    }),
  );
  assert.deepEqual(set.PushSync, PushSync);
  const got = await admin.send(new GetIdentityPoolConfigurationCommand({ IdentityPoolId: pool }));
  assert.deepEqual(got.CognitoStreams, {
    StreamName: 'sync-stream',
    RoleArn: 'arn:aws:iam::000000000000:role/streams',
    StreamingStatus: 'ENABLED',
  });
  assert.deepEqual(got.PushSync, PushSync);
  const badArn = await captureError(() =>
    admin.send(new SetIdentityPoolConfigurationCommand({ IdentityPoolId: pool, PushSync: { ApplicationArns: ['not-an-arn'] } })),
  );
  assert.equal(badArn.name, 'InvalidParameterException');
});

test('the SyncTrigger function sees each update with old and new values, and what it returns is written', async () => {
  const pool = await identityPool();
  const identityId = (await clients.unsigned.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId!;
  await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger: functionArn('on-sync') } }));
  const written = await write(admin, pool, identityId, 'chat', [
    { Op: 'replace', Key: 'shout', Value: 'hello', SyncCount: 0 },
    { Op: 'replace', Key: 'secret', Value: 'hidden', SyncCount: 0 },
    { Op: 'replace', Key: 'plain', Value: 'as is', SyncCount: 0 },
  ]);
  assert.deepEqual(
    written.Records!.map((r) => [r.Key, r.Value]),
    [
      ['shout', 'HELLO'],
      ['secret', undefined],
      ['plain', 'as is'],
    ],
  );
  const [invocation] = await server.services.invocations.list(pool);
  assert.equal(invocation?.triggerSource, 'SyncTrigger');

  const again = await write(admin, pool, identityId, 'chat', [{ Op: 'replace', Key: 'plain', Value: 'again', SyncCount: 1 }]);
  assert.equal(again.Records![0]!.Value, 'again (was as is)');

  await admin.send(new SetCognitoEventsCommand({ IdentityPoolId: pool, Events: { SyncTrigger: functionArn('no-records') } }));
  const broken = await captureError(() =>
    write(admin, pool, identityId, 'chat', [{ Op: 'replace', Key: 'plain', Value: 'x', SyncCount: 2 }]),
  );
  assert.equal(broken.name, 'InvalidLambdaFunctionOutputException');
  const records = await admin.send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'chat' }));
  assert.equal(records.DatasetSyncCount, 2);
});

test('devices register once per token, subscribe to their datasets once push sync is configured, and are pushed the changes of other devices', async () => {
  const pool = await identityPool();
  const identityId = (await clients.unsigned.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId!;
  const phone = device(identityId);
  const unconfigured = await captureError(() =>
    phone.send(new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: identityId, Platform: 'GCM', Token: 'push-token' })),
  );
  assert.equal(unconfigured.name, 'InvalidConfigurationException');
  await admin.send(
    new SetIdentityPoolConfigurationCommand({
      IdentityPoolId: pool,
      PushSync: { ApplicationArns: ['arn:aws:sns:us-east-1:000000000000:app/GCM/a'] },
    }),
  );
  const { DeviceId } = await phone.send(
    new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: identityId, Platform: 'GCM', Token: 'push-token' }),
  );
  const again = await phone.send(
    new RegisterDeviceCommand({ IdentityPoolId: pool, IdentityId: identityId, Platform: 'GCM', Token: 'push-token' }),
  );
  assert.equal(again.DeviceId, DeviceId);
  await write(phone, pool, identityId, 'prefs', [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0 }]);
  const where = { IdentityPoolId: pool, IdentityId: identityId, DatasetName: 'prefs', DeviceId: DeviceId! };
  await phone.send(new SubscribeToDatasetCommand(where));
  assert.deepEqual(
    (await server.services.store.sync.subscribers(identityId, 'prefs')).map((d) => d.deviceId),
    [DeviceId],
  );
  // A change from another device is pushed to the subscribed one; the device's own change is not.
  const { SyncSessionToken } = await phone.send(new ListRecordsCommand(where));
  await phone.send(
    new UpdateRecordsCommand({ ...where, SyncSessionToken, RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'mine', SyncCount: 1 }] }),
  );
  await write(admin, pool, identityId, 'prefs', [{ Op: 'replace', Key: 'k', Value: 'theirs', SyncCount: 2 }]);
  await pushesReceived(1);
  assert.deepEqual(pushed, [
    {
      platform: 'GCM',
      token: 'push-token',
      deviceId: DeviceId,
      message: {
        data: { source: 'cognito-sync', type: 'push-sync', identityPoolId: pool, identityId, datasetName: 'prefs', syncCount: 3 },
      },
    },
  ]);
  await phone.send(new UnsubscribeFromDatasetCommand(where));
  assert.deepEqual(await server.services.store.sync.subscribers(identityId, 'prefs'), []);
  const noDevice = await captureError(() => phone.send(new SubscribeToDatasetCommand({ ...where, DeviceId: 'unknown' })));
  assert.equal(noDevice.name, 'ResourceNotFoundException');
  const noDataset = await captureError(() => phone.send(new SubscribeToDatasetCommand({ ...where, DatasetName: 'none' })));
  assert.equal(noDataset.name, 'ResourceNotFoundException');
  phone.destroy();
});

test("BulkPublish writes the pool's records to the sink, answers its statuses as Cognito, and not twice a day", async () => {
  const pool = await identityPool();
  const identityId = (await clients.unsigned.send(new GetIdCommand({ IdentityPoolId: pool }))).IdentityId!;
  assert.equal((await admin.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: pool }))).BulkPublishStatus, 'NOT_STARTED');
  const noStream = await captureError(() => admin.send(new BulkPublishCommand({ IdentityPoolId: pool })));
  assert.equal(noStream.name, 'InvalidParameterException');
  await admin.send(
    new SetIdentityPoolConfigurationCommand({
      IdentityPoolId: pool,
      CognitoStreams: { StreamName: 'stream', RoleArn: 'arn:aws:iam::000000000000:role/streams' },
    }),
  );
  await write(admin, pool, identityId, 'scores', [
    { Op: 'replace', Key: 'high', Value: '99', SyncCount: 0 },
    { Op: 'replace', Key: 'low', Value: '1', SyncCount: 0 },
  ]);
  assert.equal((await admin.send(new BulkPublishCommand({ IdentityPoolId: pool }))).IdentityPoolId, pool);
  const details = await admin.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: pool }));
  assert.equal(details.BulkPublishStatus, 'SUCCEEDED');
  assert.ok(details.BulkPublishStartTime && details.BulkPublishCompleteTime);
  const lines = readFileSync(sink, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['identityPoolId'] === pool);
  assert.deepEqual(
    lines.map((line) => [line['identityId'], line['datasetName'], line['key'], line['value'], line['streamName']]),
    [
      [identityId, 'scores', 'high', '99', 'stream'],
      [identityId, 'scores', 'low', '1', 'stream'],
    ],
  );
  const twice = await captureError(() => admin.send(new BulkPublishCommand({ IdentityPoolId: pool })));
  assert.equal(twice.name, 'AlreadyStreamedException');
});

test('merged identities keep their datasets: a clashing name becomes <name>.<source identity> and ListRecords names it', async () => {
  const pool = await identityPool();
  const idOf = async (user: string): Promise<string> =>
    (await clients.identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: pool, Logins: { [DEVELOPER]: user } })))
      .IdentityId!;
  const [keep, gone] = [await idOf('keep'), await idOf('gone')];
  await write(admin, pool, keep, 'profile', [{ Op: 'replace', Key: 'name', Value: 'Kim', SyncCount: 0 }]);
  await write(admin, pool, gone, 'profile', [{ Op: 'replace', Key: 'name', Value: 'K.', SyncCount: 0 }]);
  await write(admin, pool, gone, 'extra', [{ Op: 'replace', Key: 'x', Value: '1', SyncCount: 0 }]);
  await clients.identity.send(
    new MergeDeveloperIdentitiesCommand({
      IdentityPoolId: pool,
      DeveloperProviderName: DEVELOPER,
      SourceUserIdentifier: 'gone',
      DestinationUserIdentifier: 'keep',
    }),
  );
  const names = (await admin.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: keep }))).Datasets!.map((d) => d.DatasetName);
  assert.deepEqual(names, ['extra', 'profile', `profile.${gone}`]);
  const records = await admin.send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: keep, DatasetName: 'profile' }));
  assert.deepEqual(records.MergedDatasetNames, [`profile.${gone}`]);
  const merged = await admin.send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: keep, DatasetName: `profile.${gone}` }));
  assert.deepEqual(
    merged.Records!.map((r) => [r.Key, r.Value]),
    [['name', 'K.']],
  );
  // A deleted identity's data goes with it.
  await clients.identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [keep] }));
  assert.deepEqual(await server.services.store.sync.datasets(keep, 20), []);
});

test('bad requests: unsigned is 403 MissingAuthenticationToken, a path or method no operation has, and an unknown identity', async () => {
  const pool = await identityPool();
  const unsigned = await fetch(`${server.url}/identitypools/${encodeURIComponent(pool)}`);
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.equal(typeof ((await unsigned.json()) as { message: unknown }).message, 'string');
  const wrongMethod = await fetch(`${server.url}/identitypools/${encodeURIComponent(pool)}/events`, { method: 'DELETE' });
  assert.equal(wrongMethod.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  const nowhere = await fetch(`${server.url}/identitypools/${encodeURIComponent(pool)}/nowhere`);
  assert.equal(nowhere.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  const stranger = await captureError(() =>
    admin.send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000' })),
  );
  assert.equal(stranger.name, 'ResourceNotFoundException');
});
