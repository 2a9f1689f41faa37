import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { srpClient } from '../support/srp-client.js';
import {
  loadUsers,
  loadedUserAttributes,
  parseLoadUsersArgs,
  progressPrinter,
  type LoadUsersOptions,
} from '../../src/tools-cli/load-users.js';
import { srpVerifierOf } from '../../src/auth/passwords.js';

const run = promisify(execFile);

/** How many users the CLI loads: a few thousand, in batches that do not divide it. */
const COUNT = 3000;
const PASSWORD = 'Load-Test-9';

function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

let server: TestServer;
let poolId: string;
let clientId: string;

/** Runs `cognate <args>` against the test server's database; resolves with the exit status too. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { dataDir, databaseUrl } = server.services.config;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: {
        ...withoutCognateVariables(process.env),
        COGNATE_DATA_DIR: dataDir,
        COGNATE_DATABASE_URL: databaseUrl,
        COGNATE_LOG_LEVEL: 'silent',
      },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; killed: boolean; stdout: string; stderr: string };
    if (failed.killed) {
      throw new Error(`cognate ${args.join(' ')} was still running after 120 s:\n${failed.stdout}\n${failed.stderr}`, { cause: error });
    }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function createPoolAndClient(
  input: { UsernameAttributes?: ('email' | 'phone_number')[] } = {},
): Promise<{ poolId: string; clientId: string }> {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'loaded', ...input }));
  const id = pool.UserPool!.Id!;
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: id,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { poolId: id, clientId: client.UserPoolClient!.ClientId! };
}

function signIn(client: string, username: string, password: string) {
  return server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

/** Every user a filter matches, following PaginationToken. */
async function listAll(filter: string): Promise<UserType[]> {
  const users: UserType[] = [];
  let token: string | undefined;
  do {
    const page = await server.admin.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: filter, ...(token ? { PaginationToken: token } : {}) }),
    );
    users.push(...(page.Users ?? []));
    token = page.PaginationToken;
  } while (token);
  return users;
}

function attribute(user: UserType, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

/** The loaded indexes whose attributes satisfy `predicate`. */
function expectedEmails(predicate: (attributes: Record<string, string>) => boolean): string[] {
  const emails: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const attributes = loadedUserAttributes('user', i);
    if (predicate(attributes)) emails.push(attributes['email']!);
  }
  return emails.sort();
}

before(async () => {
  server = await startTestServer();
  ({ poolId, clientId } = await createPoolAndClient());
});
after(() => server.stop());

test('`cognate load-users` inserts the users in batches and reports users/s', async () => {
  const result = await cli(['load-users', '--pool', poolId, '--count', String(COUNT), '--password', PASSWORD, '--batch', '700']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^loaded ${COUNT} users into ${poolId} in \\d+\\.\\d s \\(\\d+ users/s\\)\\n$`));
  assert.match(result.stderr, new RegExp(`^loading ${COUNT} users into ${poolId} \\(batches of 700\\)\\n`));
  assert.match(result.stderr, new RegExp(`${COUNT}/${COUNT} users \\(100%\\), \\d+ users/s`));
  assert.equal(await server.services.store.users.count(poolId), COUNT);
});

test('the progress lines give the time left at the rate so far, at most every two seconds', () => {
  const lines: string[] = [];
  const print = progressPrinter(parseLoadUsersArgs(['--pool', 'us-east-1_x', '--count', '1000000']), (line) => lines.push(line));
  print({ done: 0, total: 1_000_000, elapsedMs: 0 });
  print({ done: 1000, total: 1_000_000, elapsedMs: 500 });
  print({ done: 250_000, total: 1_000_000, elapsedMs: 10_000 });
  print({ done: 990_000, total: 1_000_000, elapsedMs: 39_600 });
  print({ done: 1_000_000, total: 1_000_000, elapsedMs: 39_700 });
  assert.deepEqual(lines, [
    'loading 1000000 users into us-east-1_x (batches of 1000)\n',
    '  250000/1000000 users (25%), 25000 users/s, about 30 s left\n',
    '  990000/1000000 users (99%), 25000 users/s, about 1 s left\n',
    '  1000000/1000000 users (100%), 25189 users/s\n',
  ]);
  print({ done: 100, total: 1_000_000, elapsedMs: 50_000 });
  assert.equal(lines.at(-1), '  100/1000000 users (0%), 2 users/s, about 139 h left\n');
  print({ done: 100_000, total: 1_000_000, elapsedMs: 62_000 });
  assert.equal(lines.at(-1), '  100000/1000000 users (10%), 1613 users/s, about 9 min left\n');
});

test('loaded users are confirmed, share one argon2id hash and carry the varied attributes', async () => {
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'user1234' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal(user.Enabled, true);
  const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const { sub, ...rest } = attributes;
  assert.match(sub ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(rest, {
    email: 'user1234@example.com',
    email_verified: 'true',
    given_name: 'Igor',
    family_name: 'Harris',
    name: 'Igor Harris',
  });
  const a = await server.services.store.users.get(poolId, 'user0');
  const b = await server.services.store.users.get(poolId, 'user2999');
  assert.match(a!.passwordHash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(a!.passwordHash, b!.passwordHash);
  // No --srp: no verifier (an SRP sign-in gets the decoy challenge and fails like a wrong password).
  assert.equal(a!.extra['srp'], undefined);
});

test('a loaded user signs in with the given password through USER_PASSWORD_AUTH', async () => {
  for (const username of ['user0', 'user1500', 'user2999']) {
    const signedIn = await signIn(clientId, username, PASSWORD);
    assert.equal(signedIn.AuthenticationResult?.TokenType, 'Bearer');
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  }
  const wrong = await captureError(() => signIn(clientId, 'user7', 'Wrong-Pass-9'));
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, 'Incorrect username or password.');
  const missing = await captureError(() => signIn(clientId, `user${COUNT}`, PASSWORD));
  assert.equal(missing.name, 'UserNotFoundException');
});

test('ListUsers filters find exactly the expected subset of the loaded users', async () => {
  const cases: [string, (a: Record<string, string>) => boolean][] = [
    // user12, user120-129, user1200-1299: 111 users, over two pages.
    ['email ^= "user12"', (a) => a['email']!.startsWith('user12')],
    ['given_name = "Alice"', (a) => a['given_name'] === 'Alice'],
    ['family_name = "Smith"', (a) => a['family_name'] === 'Smith'],
    ['name ^= "Alice S"', (a) => a['name']!.startsWith('Alice S')],
    ['family_name ^= "Wa"', (a) => a['family_name']!.startsWith('Wa')],
  ];
  for (const [filter, predicate] of cases) {
    const found = await listAll(filter);
    const expected = expectedEmails(predicate);
    assert.ok(expected.length > 0, filter);
    assert.equal(found.length, expected.length, filter);
    assert.deepEqual(found.map((u) => attribute(u, 'email')).sort(), expected, filter);
  }
  assert.equal((await listAll('email ^= "user12"')).length, 111);
  const confirmed = await server.admin.send(
    new ListUsersCommand({ UserPoolId: poolId, Filter: 'cognito:user_status = "CONFIRMED"', Limit: 10 }),
  );
  assert.equal(confirmed.Users?.length, 10);
  assert.ok(confirmed.PaginationToken);
});

test('a second load over the same range skips the users already there', async () => {
  const result = await loadUsers(server.services, {
    ...parseLoadUsersArgs(['--pool', poolId, '--count', '20', '--password', PASSWORD]),
    start: COUNT - 10,
  });
  assert.equal(result.inserted, 10);
  assert.equal(result.skipped, 10);
  assert.equal(await server.services.store.users.count(poolId), COUNT + 10);
});

test('--srp gives each user a sealed verifier that USER_SRP_AUTH signs in with', async () => {
  const options: LoadUsersOptions = {
    ...parseLoadUsersArgs(['--pool', poolId, '--count', '4', '--prefix', 'srp', '--srp', '--password', PASSWORD]),
  };
  assert.equal(options.srp, true);
  const result = await loadUsers(server.services, options);
  assert.equal(result.inserted, 4);
  const pool = (await server.services.store.pools.get(poolId))!;
  const one = (await server.services.store.users.get(poolId, 'srp1'))!;
  const two = (await server.services.store.users.get(poolId, 'srp2'))!;
  assert.notEqual(srpVerifierOf(server.services, pool, one)?.salt, srpVerifierOf(server.services, pool, two)?.salt);

  const client = srpClient(poolId);
  const initiated = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'srp3', SRP_A: client.srpA } }),
  );
  assert.equal(initiated.ChallengeName, 'PASSWORD_VERIFIER');
  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: client.respond(initiated.ChallengeParameters ?? {}, PASSWORD),
    }),
  );
  assert.ok(answered.AuthenticationResult?.AccessToken);
});

test('in an email-as-username pool, loaded users get UUID usernames and sign in with their email', async () => {
  const target = await createPoolAndClient({ UsernameAttributes: ['email'] });
  const result = await loadUsers(
    server.services,
    parseLoadUsersArgs(['--pool', target.poolId, '--count', '5', '--prefix', 'mail', '--password', PASSWORD]),
  );
  assert.equal(result.inserted, 5);
  const signedIn = await signIn(target.clientId, 'mail3@example.com', PASSWORD);
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: target.poolId, Username: 'mail3@example.com' }));
  assert.match(user.Username ?? '', /^[0-9a-f-]{36}$/);
});

test('a pool filled by load-users reports its size in DescribeUserPool at once, past the exact count', async () => {
  const target = await createPoolAndClient({});
  const size = 12_000;
  const result = await loadUsers(
    server.services,
    parseLoadUsersArgs(['--pool', target.poolId, '--count', String(size), '--password', PASSWORD]),
  );
  assert.equal(result.inserted, size);
  // Past 10,000 users PostgreSQL answers from the planner's statistics, which the load refreshed:
  // without that, the figure would stay at the 10,001 counted until autovacuum came by.
  const { UserPool } = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: target.poolId }));
  assert.ok(
    Math.abs((UserPool?.EstimatedNumberOfUsers ?? 0) - size) < size * 0.05,
    `EstimatedNumberOfUsers ${UserPool?.EstimatedNumberOfUsers}`,
  );
});

test('bad command lines exit 2 with the usage; an unknown pool or a password the policy refuses exit 1', async () => {
  const noPool = await cli(['load-users', '--count', '5']);
  assert.equal(noPool.code, 2);
  assert.match(noPool.stderr, /^--pool is required\nUsage: cognate load-users/);
  const badCount = await cli(['load-users', '--pool', poolId, '--count', 'many']);
  assert.equal(badCount.code, 2);
  assert.match(badCount.stderr, /^--count expects an integer from 1\n/);
  const unknown = await cli(['load-users', '--pool', 'us-east-1_nothere00', '--count', '5']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'error: user pool us-east-1_nothere00 does not exist\n');
  const weak = await cli(['load-users', '--pool', poolId, '--count', '5', '--password', 'short']);
  assert.equal(weak.code, 1);
  assert.equal(weak.stderr, 'error: Password does not conform to policy: Password not long enough\n');
  assert.equal(await server.services.store.users.count(poolId), COUNT + 10 + 4);
});
