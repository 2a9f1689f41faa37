import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { openDatabase } from '../../src/store/database.js';
import { runHousekeeping } from '../../src/store/housekeeping.js';
import { PASSWORD, createClient, createPool } from './users-fixtures.js';

const run = promisify(execFile);
const HOUR = 3_600_000;
const ADMIN = { authorization: `Basic ${Buffer.from('local:local').toString('base64')}` };

function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

interface ListedMessage {
  code: string | null;
  destination: string;
  purpose: string;
  message: string;
}

async function inbox(query: string): Promise<ListedMessage[]> {
  const response = await fetch(`${server.url}/_cognate/inbox?${query}`, { headers: ADMIN });
  assert.equal(response.status, 200);
  return ((await response.json()) as { messages: ListedMessage[] }).messages;
}

/** Every row of the inbox table as stored, read on a connection of its own. */
async function storedRows(): Promise<unknown[]> {
  const open = openDatabase(server.services.config.databaseUrl, { poolSize: 1 });
  try {
    return await open.db.selectFrom('inbox').selectAll().execute();
  } finally {
    await open.close();
  }
}

const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let clientId: string;
before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  clientId = (await createClient(server, poolId)).clientId;
  await server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: 'alice',
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
    }),
  );
});
after(() => server.stop());

test('the inbox endpoint refuses callers without the admin key pair', async () => {
  const anonymous = await fetch(`${server.url}/_cognate/inbox`);
  assert.equal(anonymous.status, 401);
  const wrong = await fetch(`${server.url}/_cognate/inbox`, {
    headers: { authorization: `Basic ${Buffer.from('local:wrong').toString('base64')}` },
  });
  assert.equal(wrong.status, 401);
});

test('the inbox endpoint lists delivered codes for an admin, filtered by user', async () => {
  const messages = await inbox('username=alice');
  assert.equal(messages.length, 1);
  assert.match(messages[0]!.code ?? '', /^\d{6}$/);
  assert.equal(messages[0]!.purpose, 'signup');
  assert.equal(messages[0]!.destination, 'alice@example.com');
  assert.deepEqual(await inbox('username=bob'), []);
});

test('the stored inbox row holds neither the code nor the message in clear', async () => {
  const [listed] = await inbox('username=alice');
  const code = listed!.code!;
  const rows = await storedRows();
  assert.ok(rows.length > 0, 'the inbox table has the message');
  const stored = JSON.stringify(rows);
  assert.ok(!stored.includes(code), 'the code is not in the stored row');
  assert.ok(!stored.includes(listed!.message), 'the message text is not in the stored row');
});

test('a temporary password is kept sealed too, and shown to the admin', async () => {
  const temporary = 'Temp-Passw0rd-At-Rest';
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'invited',
      TemporaryPassword: temporary,
      UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }],
    }),
  );
  const [listed] = await inbox('username=invited');
  assert.equal(listed?.code, temporary);
  assert.ok(!JSON.stringify(await storedRows()).includes(temporary), 'the temporary password is not in the stored rows');
});

test('`cognate inbox` prints the same messages from the database', async () => {
  const dataDir = server.services.config.dataDir;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'inbox', '--user', 'alice'], {
    // Only this server's settings: test-runner variables such as COGNATE_TEST_PG_URL are not settings.
    env: {
      ...withoutCognateVariables(process.env),
      COGNATE_DATA_DIR: dataDir,
      COGNATE_DATABASE_URL: server.services.config.databaseUrl,
      COGNATE_LOG_LEVEL: 'silent',
    },
    // Killed (and failed) rather than left to hang the run.
    timeout: 120_000,
  });
  const messages = JSON.parse(stdout) as { code: string }[];
  assert.equal(messages[0]?.code, (await inbox('username=alice'))[0]?.code);
});

test('housekeeping deletes inbox messages once their code has expired, and keeps live ones', async () => {
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dave',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'dave@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'dave', Password: PASSWORD, Permanent: true }));
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'dave' }));
  const purposes = async (username: string): Promise<string[]> => (await inbox(`username=${username}`)).map((m) => m.purpose);
  assert.deepEqual(await purposes('dave'), ['forgot-password']);
  assert.deepEqual(await purposes('alice'), ['signup']);

  // A reset code works for an hour, a sign-up code for a day.
  await clock.travel(HOUR + 1000, () => runHousekeeping(server.services));
  assert.deepEqual(await purposes('dave'), []);
  assert.deepEqual(await purposes('alice'), ['signup']);

  await clock.travel(24 * HOUR + 1000, () => runHousekeeping(server.services));
  assert.deepEqual(await purposes('alice'), []);
});
