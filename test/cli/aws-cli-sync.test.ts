/**
 * Drives the real AWS CLI (`aws cognito-sync ... --endpoint-url`) against a listening Cognate,
 * signed with an identity's own temporary credentials: a device's sync and its conflict.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { startTestServer, type TestServer } from '../support/server.js';
import { awsCli, awsCliVersion, cliJson, type ProcessRun } from '../support/aws-cli.js';

const version = awsCliVersion();
// In CI a missing CLI is a failure (.ci/run installs it); on a developer's machine it is a skip.
const skip = version === undefined && !process.env['CI'] ? 'the AWS CLI (`aws`) is not installed' : false;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** One `aws cognito-sync <args>` call with an identity's credentials and nothing else of AWS's. */
function sync(credentials: { AccessKeyId?: string; SecretKey?: string; SessionToken?: string }, ...args: string[]): Promise<ProcessRun> {
  const signer = {
    accessKeyId: credentials.AccessKeyId!,
    secretAccessKey: credentials.SecretKey!,
    sessionToken: credentials.SessionToken!,
  };
  return awsCli(server.url, signer, 'us-east-1', 'cognito-sync', ...args);
}

const parsed = cliJson;

test("the AWS CLI syncs a dataset with an identity's credentials and meets Cognito Sync's conflict", { skip }, async (t) => {
  assert.ok(version, 'the AWS CLI (`aws`) is not on PATH: pip install awscli, or apt-get install awscli');
  t.diagnostic(version);
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'cli', AllowUnauthenticatedIdentities: true }),
  );
  await identity.send(
    new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: 'arn:aws:iam::000000000000:role/guest' } }),
  );
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId }));
  const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  identity.destroy();
  const where = ['--identity-pool-id', IdentityPoolId!, '--identity-id', IdentityId!, '--dataset-name', 'cli-settings'];

  const fresh = parsed(await sync(Credentials!, 'list-records', ...where));
  assert.equal(fresh['DatasetExists'], false);
  const updated = parsed(
    await sync(
      Credentials!,
      'update-records',
      ...where,
      '--sync-session-token',
      String(fresh['SyncSessionToken']),
      '--record-patches',
      'Op=replace,Key=color,Value=blue,SyncCount=0',
    ),
  );
  assert.deepEqual(
    (updated['Records'] as Array<Record<string, unknown>>).map((r) => [r['Key'], r['Value'], r['SyncCount']]),
    [['color', 'blue', 1]],
  );
  const listed = parsed(await sync(Credentials!, 'list-records', ...where));
  assert.equal(listed['DatasetSyncCount'], 1);
  const stale = await sync(
    Credentials!,
    'update-records',
    ...where,
    '--sync-session-token',
    String(listed['SyncSessionToken']),
    '--record-patches',
    'Op=replace,Key=color,Value=red,SyncCount=0',
  );
  assert.notEqual(stale.code, 0);
  assert.match(stale.stderr, /ResourceConflictException.*Current SyncCount for: color is: 1 not: 0/);
});
