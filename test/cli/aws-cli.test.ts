/**
 * Drives the real AWS CLI (`aws cognito-idp ... --endpoint-url`) through test/cli/aws-cli-smoke.sh
 * against a listening Cognate, and checks what the CLI parsed from each answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/server.js';
import { awsCliVersion, cleanAwsEnv as cleanEnv, runProcess, type ProcessRun } from '../support/aws-cli.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'aws-cli-smoke.sh');

const version = awsCliVersion();
// In CI a missing CLI is a failure (the machine image has it); on a developer's machine it is a skip.
const skip = version === undefined && !process.env['CI'] ? 'the AWS CLI (`aws`) is not installed' : false;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

function run(env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  // The CLI starts a Python interpreter per call; seven calls take a few seconds, more on a busy machine.
  return runProcess('bash', [script], { env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
}

/** Splits the script's output into its `== <step>` sections, each parsed as JSON. */
function sections(stdout: string): Map<string, unknown> {
  const result = new Map<string, unknown>();
  const parts = stdout.split(/^== (\S+)\n/m);
  for (let i = 1; i < parts.length; i += 2) result.set(parts[i]!, JSON.parse(parts[i + 1]!));
  return result;
}

test('the AWS CLI can set up a pool, a client and a user, sign in and read the user back', { skip }, async (t) => {
  assert.ok(version, 'the AWS CLI (`aws`) is not on PATH: pip install awscli, or apt-get install awscli');
  t.diagnostic(version);
  const credentials = await server.admin.config.credentials();
  const result = await run({
    ...cleanEnv(),
    ENDPOINT: server.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    SMOKE_ID: 'cli1',
  });
  assert.equal(result.code, 0, `the script failed:\n${result.stdout}\n${result.stderr}`);

  const out = sections(result.stdout);
  assert.deepEqual(
    [...out.keys()],
    [
      'create-user-pool',
      'create-user-pool-client',
      'admin-create-user',
      'admin-set-user-password',
      'initiate-auth',
      'get-user',
      'list-users',
      'done',
    ],
  );
  const done = out.get('done') as { poolId: string; clientId: string; username: string; email: string };

  const pool = (out.get('create-user-pool') as { UserPool: { Id: string; Name: string; CreationDate: unknown } }).UserPool;
  assert.match(pool.Id, /^us-east-1_[0-9a-zA-Z]{9}$/);
  assert.equal(pool.Name, 'smoke-cli1');
  assert.equal(pool.Id, done.poolId);

  const client = (
    out.get('create-user-pool-client') as { UserPoolClient: { ClientId: string; UserPoolId: string; ExplicitAuthFlows: string[] } }
  ).UserPoolClient;
  assert.match(client.ClientId, /^[a-z0-9]{26}$/);
  assert.equal(client.UserPoolId, pool.Id);
  assert.deepEqual([...client.ExplicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);

  const created = (out.get('admin-create-user') as { User: { Username: string; UserStatus: string; Enabled: boolean } }).User;
  assert.equal(created.Username, 'smoke-user-cli1');
  assert.equal(created.UserStatus, 'FORCE_CHANGE_PASSWORD');
  assert.equal(created.Enabled, true);

  assert.deepEqual(out.get('admin-set-user-password'), {});

  const auth = (
    out.get('initiate-auth') as {
      AuthenticationResult: { AccessToken: string; IdToken: string; RefreshToken: string; TokenType: string; ExpiresIn: number };
    }
  ).AuthenticationResult;
  assert.equal(auth.TokenType, 'Bearer');
  assert.equal(auth.ExpiresIn, 3600);
  for (const token of [auth.AccessToken, auth.IdToken]) assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.ok(auth.RefreshToken.length > 0);

  const me = out.get('get-user') as { Username: string; UserAttributes: Array<{ Name: string; Value: string }> };
  assert.equal(me.Username, 'smoke-user-cli1');
  assert.ok(me.UserAttributes.some((a) => a.Name === 'email' && a.Value === 'smoke-cli1@example.com'));
  assert.ok(me.UserAttributes.some((a) => a.Name === 'sub'));

  const listed = (
    out.get('list-users') as { Users: Array<{ Username: string; UserStatus: string; Attributes: Array<{ Name: string; Value: string }> }> }
  ).Users;
  assert.deepEqual(
    listed.map((u) => u.Username),
    ['smoke-user-cli1'],
  );
  assert.equal(listed[0]!.UserStatus, 'CONFIRMED');
  assert.ok(listed[0]!.Attributes.some((a) => a.Name === 'email' && a.Value === 'smoke-cli1@example.com'));
});

test('the script refuses to run without an endpoint, naming what is missing', { skip }, async () => {
  const result = await run({ ...cleanEnv(), AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /ENDPOINT/);
});
