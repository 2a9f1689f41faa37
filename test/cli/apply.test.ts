/**
 * `cognate apply` as an operator runs it: a file applied by the command, then checked through the
 * AWS SDK against a server on the same database, and `COGNATE_APPLY` at start.
 *
 * The command itself is spawned where its own behaviour is tested (what it prints, its exit status
 * on a bad file). The other cases apply in this process through the function the command calls,
 * booted on the same data folder as the command would be: a spawned command costs seconds of start
 * up each, which the suite's time budget cannot spare for every case.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUsersCommand,
  ListUserPoolsCommand,
  AdminGetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { runCognate, startCognate, type RunningCognate } from '../support/cli.js';
import { boot, type Booted } from '../../src/bootstrap.js';
import { applyFile } from '../../src/apply/apply.js';
import { loadConfig } from '../../src/config/load.js';

const CLIENT_ID = '1example23456789abcdefghij';
const PASSWORD = 'Corr3ct-Horse!';
const CLIENT_SECRET = 'aFixedSecretOfTheTestDocument0123456789';

/** The document of these tests; `change` edits its text before it is written. */
function setup(change: (text: string) => string = (text) => text): string {
  return change(`UserPools:
  - PoolName: apply-test
    Policies:
      PasswordPolicy: {MinimumLength: 8}
    UsernameAttributes: [email]
    Clients:
      - ClientName: web
        ClientId: ${CLIENT_ID}
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      - ClientName: extra
      - ClientName: server
        ClientSecret: ${CLIENT_SECRET}
    Groups:
      - {GroupName: admins, Description: Admins, Precedence: 1}
    ResourceServers:
      - Identifier: https://api.example.com
        Name: api
        Scopes: [{ScopeName: read, ScopeDescription: Read}]
    Users:
      - Username: alice@example.com
        Password: ${PASSWORD}
        Attributes: {email: alice@example.com, email_verified: "true", name: Alice}
        Groups: [admins]
      - Username: bob@example.com
        Attributes: {email: bob@example.com}
`);
}

const dir = mkdtempSync(join(tmpdir(), 'cognate-apply-'));
const env = { COGNATE_DATA_DIR: join(dir, 'data'), COGNATE_PORT: '0', COGNATE_LOG_LEVEL: 'warn' };
let cognate: RunningCognate;
/** Cognate booted in this process on the server's data folder, as `cognate apply` boots. */
let applier: Booted;
let admin: CognitoIdentityProviderClient;
let files = 0;

/** Writes a document to a new file of the test folder and returns its path. */
function file(text: string, extension = 'yaml'): string {
  const path = join(dir, `setup-${++files}.${extension}`);
  writeFileSync(path, text);
  return path;
}

/** Runs the `cognate apply` command; answers what it printed. */
const applyCommand = (...args: string[]): Promise<string> => runCognate(['apply', ...args], env, dir);

/** Runs `cognate apply` expecting it to fail; answers what it printed on stderr. */
async function applyCommandFails(...args: string[]): Promise<string> {
  try {
    await applyCommand(...args);
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    assert.equal(failure.code, 1, `expected exit status 1: ${failure.stderr ?? String(error)}`);
    return failure.stderr ?? '';
  }
  assert.fail('cognate apply succeeded');
}

/** Applies as `cognate apply <file> [--dry-run] [--prune]` does, in this process; answers what it printed. */
async function apply(path: string, ...flags: ('--dry-run' | '--prune')[]): Promise<string> {
  const lines: string[] = [];
  const options = { dryRun: flags.includes('--dry-run'), prune: flags.includes('--prune'), print: (line: string) => lines.push(line) };
  await applyFile(applier.services, path, options);
  return lines.join('\n');
}

/** `apply` expecting a refusal; answers its message, which the command prints as it is. */
async function applyFails(path: string, ...flags: ('--dry-run' | '--prune')[]): Promise<string> {
  try {
    await apply(path, ...flags);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('apply succeeded');
}

/** The plan's line for one resource: `create`, `update`, `unchanged` or `delete`. */
function actionOf(output: string, kind: string, name: string): string | undefined {
  const line = output.split('\n').find((l) => l.split(/\s+/)[1] === kind && l.split(/\s+/)[2] === name);
  return line?.split(/\s+/)[0];
}

let poolId: string;

before(async () => {
  cognate = await startCognate(env, dir);
  applier = await boot({ ...loadConfig(env), logLevel: 'silent' });
  admin = new CognitoIdentityProviderClient({
    endpoint: cognate.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

after(async () => {
  await applier?.close();
  await cognate?.stop();
  admin?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('apply creates what the file declares, prints the ids, and a declared user signs in with the fixed client', async () => {
  const output = await applyCommand(file(setup()));
  for (const [kind, name] of [
    ['UserPool', 'apply-test'],
    ['UserPoolClient', 'apply-test/web'],
    ['Group', 'apply-test/admins'],
    ['ResourceServer', 'apply-test/https://api.example.com'],
    ['User', 'apply-test/alice@example.com'],
  ]) {
    assert.equal(actionOf(output, kind!, name!), 'create', `${kind} ${name}:\n${output}`);
  }
  poolId = /apply-test UserPoolId (\S+)/.exec(output)?.[1] ?? assert.fail(`no pool id printed:\n${output}`);
  assert.match(output, new RegExp(`apply-test/web ClientId ${CLIENT_ID}`));

  const signIn = await admin.send(
    new InitiateAuthCommand({
      ClientId: CLIENT_ID,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'alice@example.com', PASSWORD },
    }),
  );
  const claims = decodeJwt(signIn.AuthenticationResult!.IdToken!);
  assert.deepEqual(claims['cognito:groups'], ['admins']);
  assert.equal(claims['name'], 'Alice');
  assert.equal(claims['aud'], CLIENT_ID);
  const { UserPoolClients: clients } = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
  const server = clients!.find((c) => c.ClientName === 'server') ?? assert.fail('no server client');
  const described = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: server.ClientId }));
  assert.equal(described.UserPoolClient!.ClientSecret, CLIENT_SECRET);
  const bob = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob@example.com' }));
  assert.equal(bob.UserStatus, 'FORCE_CHANGE_PASSWORD');
});

test('applying the same file again changes nothing', async () => {
  const before = await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  const output = await apply(file(setup()));
  assert.match(output, /plan: 0 to create, 0 to update, 0 to delete, 8 unchanged/);
  const after = await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.deepEqual(after.UserPool!.LastModifiedDate, before.UserPool!.LastModifiedDate);
  assert.match(output, new RegExp(`apply-test UserPoolId ${poolId}`));
});

test('the same document in JSON is the same setup', async () => {
  const json = {
    UserPools: [{ PoolName: 'apply-test', Groups: [{ GroupName: 'admins', Description: 'Admins', Precedence: 1 }] }],
  };
  const output = await apply(file(JSON.stringify(json, null, 2), 'json'));
  assert.equal(actionOf(output, 'Group', 'apply-test/admins'), 'unchanged', output);
});

test('--dry-run prints the plan and changes nothing', async () => {
  const changed = file(setup((t) => t.replace('Description: Admins', 'Description: Administrators')));
  const output = await apply(changed, '--dry-run');
  assert.equal(actionOf(output, 'Group', 'apply-test/admins'), 'update', output);
  assert.match(output, /dry run: nothing changed/);
  const group = await admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
  assert.equal(group.Group!.Description, 'Admins');
});

test('a changed member is updated in place', async () => {
  const output = await apply(
    file(
      setup((t) =>
        t
          .replace('MinimumLength: 8', 'MinimumLength: 12')
          .replace('Description: Admins', 'Description: Administrators')
          .replace('ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH')
          .replace('name: Alice', 'name: Alice Liddell'),
      ),
    ),
  );
  assert.match(output, /update\s+UserPool\s+apply-test \(Policies\)/);
  assert.match(output, /update\s+UserPoolClient\s+apply-test\/web \(ExplicitAuthFlows\)/);
  assert.match(output, /update\s+Group\s+apply-test\/admins \(Description\)/);
  assert.match(output, /update\s+User\s+apply-test\/alice@example.com \(Attributes.name\)/);
  const pool = await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(pool.UserPool!.Policies!.PasswordPolicy!.MinimumLength, 12);
  const client = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: CLIENT_ID }));
  assert.deepEqual([...client.UserPoolClient!.ExplicitAuthFlows!].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  const alice = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice@example.com' }));
  assert.equal(alice.UserAttributes!.find((a) => a.Name === 'name')?.Value, 'Alice Liddell');
});

test('a member fixed at creation is an error naming it, and nothing is applied', async () => {
  const stderr = await applyFails(
    file(
      setup((t) =>
        t
          .replace(
            'UsernameAttributes: [email]',
            'UsernameAttributes: [phone_number]\n    Schema: [{Name: tenant, AttributeDataType: String}]',
          )
          .replace('Description: Admins', 'Description: Other'),
      ),
    ),
  );
  assert.match(stderr, /UserPools\[0\]\.UsernameAttributes: UsernameAttributes cannot be changed/);
  assert.match(stderr, /UserPools\[0\]\.Schema\[0\]: schema attribute tenant differs from the pool's, and Schema cannot be changed/);
  const group = await admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
  assert.equal(group.Group!.Description, 'Administrators');
});

test('--prune deletes what the file no longer declares, and only with --prune', async () => {
  const stray = await admin.send(new CreateUserPoolCommand({ PoolName: 'stray' }));
  const fewer = file(setup((t) => t.replace(/ {6}- ClientName: extra\n/, '').replace(/ {6}- Username: bob@example.com\n.*\n/, '')));
  const without = await apply(fewer, '--dry-run');
  assert.doesNotMatch(without, /^delete/m);
  const output = await apply(fewer, '--prune');
  assert.match(output, /delete\s+UserPoolClient\s+apply-test\/extra/);
  assert.match(output, /delete\s+User\s+apply-test\//);
  assert.match(output, new RegExp(`delete\\s+UserPool\\s+stray \\(${stray.UserPool!.Id!}\\)`));
  await assert.rejects(admin.send(new DescribeUserPoolCommand({ UserPoolId: stray.UserPool!.Id! })), { name: 'ResourceNotFoundException' });
  assert.equal(actionOf(output, 'User', 'apply-test/alice@example.com'), 'update', 'alice is declared, so kept (her changes reverted)');
  const clients = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
  assert.deepEqual(clients.UserPoolClients!.map((c) => c.ClientName).sort(), ['server', 'web']);
  const users = await admin.send(new ListUsersCommand({ UserPoolId: poolId }));
  assert.deepEqual(
    users.Users!.map((u) => u.Attributes!.find((a) => a.Name === 'email')?.Value),
    ['alice@example.com'],
  );
});

test('bad documents: each problem with its line and path, and nothing applied', async () => {
  const unknown = await applyCommandFails(
    file(`UserPools:
  - PoolName: broken
    Clients:
      - ClientName: web
        ExplicitAuthFlow: [ALLOW_USER_SRP_AUTH]
      - ClientName: other
        AccessTokenValidity: ten
        ExplicitAuthFlows: [ALLOW_NOTHING]
`),
  );
  assert.match(unknown, /setup-\d+\.yaml:5: UserPools\[0\]\.Clients\[0\]\.ExplicitAuthFlow: unknown member/);
  assert.match(unknown, /setup-\d+\.yaml:7: UserPools\[0\]\.Clients\[1\]\.AccessTokenValidity: wrong type/);
  const badYaml = await applyFails(file('UserPools:\n  - PoolName: x\n   Clients: [\n'));
  assert.match(badYaml, /setup-\d+\.yaml:3: /);
  const enumValue = await applyFails(
    file('UserPools:\n  - PoolName: x\n    Clients:\n      - {ClientName: a, ExplicitAuthFlows: [NOPE]}\n'),
  );
  assert.match(enumValue, /setup-\d+\.yaml:4: UserPools\[0\]\.Clients\[0\]\.ExplicitAuthFlows: Member must satisfy constraint/);
  const noPools = await applyFails(file('Pools: []\n'), '--prune');
  assert.match(noPools, /setup-\d+\.yaml:1: Pools: unknown member \(expected UserPools, IdentityPools\)/);
  assert.match(noPools, /\(document\): expected a list of user pools at UserPools/);
  const output = await apply(file(setup()), '--dry-run');
  assert.doesNotMatch(output, /broken|UserPool\s+x\b/);
});

test('a step that fails applies nothing of the file, and applying it again after the fix applies all of it', async () => {
  const partial = (username: string): string =>
    file(`UserPools:
  - PoolName: partial
    UsernameAttributes: [email]
    Groups: [{GroupName: team}]
    Users:
      - {Username: ${username}, Attributes: {email: dana@example.com}}
`);
  const stderr = await applyFails(partial('not-an-email'));
  assert.match(stderr, /create User partial\/not-an-email failed: InvalidParameterException: /);
  assert.match(stderr, /Nothing was applied/);
  // The pool and its group came before the failing user in the same apply: rolled back with it.
  const { UserPools } = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  assert.equal(UserPools?.filter((pool) => pool.Name === 'partial').length, 0, JSON.stringify(UserPools));
  const output = await apply(partial('dana@example.com'));
  assert.equal(actionOf(output, 'UserPool', 'partial'), 'create', output);
  assert.equal(actionOf(output, 'Group', 'partial/team'), 'create', output);
  assert.equal(actionOf(output, 'User', 'partial/dana@example.com'), 'create', output);
});

test('COGNATE_APPLY applies its file at start, and a bad file fails the start', async () => {
  const startEnv = { ...env, COGNATE_DATA_DIR: join(dir, 'start-data'), COGNATE_APPLY: file(setup()) };
  const started = await startCognate(startEnv, dir);
  try {
    const client = new CognitoIdentityProviderClient({
      endpoint: started.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const signIn = await client.send(
      new InitiateAuthCommand({
        ClientId: CLIENT_ID,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice@example.com', PASSWORD },
      }),
    );
    assert.ok(signIn.AuthenticationResult?.AccessToken);
    client.destroy();
  } finally {
    await started.stop();
  }
  await assert.rejects(
    startCognate({ ...startEnv, COGNATE_APPLY: file('UserPools:\n  - PoolName: [not, a, name]\n') }, dir),
    (error: Error) => /exited \(1\) before listening[\s\S]*applyOnStart[\s\S]*UserPools\[0\]\.PoolName/.test(error.message),
  );
});
