import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);

function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.services.delivery.deliver({
    poolId: 'us-east-1_inboxtest',
    username: 'alice',
    medium: 'EMAIL',
    destination: 'alice@example.com',
    purpose: 'signup',
    code: '123456',
    subject: 'Your verification code',
    message: 'Your verification code is 123456. ',
  });
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
  const key = Buffer.from('local:local').toString('base64');
  const response = await fetch(`${server.url}/_cognate/inbox?username=alice`, { headers: { authorization: `Basic ${key}` } });
  assert.equal(response.status, 200);
  const { messages } = (await response.json()) as { messages: { code: string; destination: string; purpose: string }[] };
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.code, '123456');
  assert.equal(messages[0]!.purpose, 'signup');
  const none = await fetch(`${server.url}/_cognate/inbox?username=bob`, { headers: { authorization: `Basic ${key}` } });
  assert.deepEqual(await none.json(), { messages: [] });
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
  });
  const messages = JSON.parse(stdout) as { code: string }[];
  assert.equal(messages[0]?.code, '123456');
});
