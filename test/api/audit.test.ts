import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { createLogger } from '../../src/bootstrap.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { runHousekeeping } from '../../src/store/housekeeping.js';
import type { AuditEvent, StoredAuditEvent } from '../../src/store/ports.js';
import { CALLBACK, WEB_CLIENT, createConfirmedUser } from '../oauth/helpers.js';
import { logSink } from '../support/log-sink.js';

const PASSWORD = 'Audit-Passw0rd-Secret';
const WRONG = 'Wrong-Passw0rd-Secret';
const CHANGED = 'Changed-Passw0rd-Secret';
const RESET = 'Reset-Passw0rd-Secret';
const TEMPORARY = 'Temp-Passw0rd-Secret';
const DAY = 86_400_000;

const clock = FrozenClock.atNow();
const sink = logSink();
let server: TestServer;
/** Every secret the actions below use or receive; none may reach an audit event or a log line. */
const secrets: string[] = [PASSWORD, WRONG, CHANGED, RESET, TEMPORARY];

before(async () => {
  server = await startTestServer({}, { clock, logger: createLogger('info', sink.stream) });
});
after(() => server.stop());

/** A test's own pool, with a public client `app` and a confidential client `confidential`. */
interface Pool {
  poolId: string;
  clientId: string;
  confidentialId: string;
}

async function createPool(): Promise<Pool> {
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'audited' }))).UserPool!.Id!;
  const created = await server.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...WEB_CLIENT, GenerateSecret: false }),
  );
  const confidential = await server.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'confidential', GenerateSecret: true }),
  );
  secrets.push(confidential.UserPoolClient!.ClientSecret!);
  return { poolId, clientId: created.UserPoolClient!.ClientId!, confidentialId: confidential.UserPoolClient!.ClientId! };
}

/** A confirmed user of the pool whose password is PASSWORD. */
function createUser(pool: Pool, username: string): Promise<void> {
  return createConfirmedUser(server, pool.poolId, username, PASSWORD, { email: `${username}@example.com`, email_verified: 'true' });
}

/** The pool's stored events, oldest first. */
async function stored(pool: Pool, username?: string): Promise<StoredAuditEvent[]> {
  const query = { poolId: pool.poolId, ...(username ? { username } : {}), limit: 500 };
  return (await server.services.store.auditEvents.list(query)).reverse();
}

/** The audit log lines of the pool, oldest first. */
function logged(pool: Pool): AuditEvent[] {
  return sink.lines
    .filter((line) => line['msg'] === 'audit')
    .map((line) => line['audit'] as AuditEvent)
    .filter((e) => e.poolId === pool.poolId);
}

function signIn(pool: Pool, username: string, password: string) {
  return server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

/** Creates `bob`, reads him, and fails to delete `nobody`. */
async function adminActions(pool: Pool): Promise<void> {
  await server.admin.send(
    new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'bob', TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' }),
  );
  await server.admin.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'bob' }));
  const missing = await captureError(() => server.admin.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: 'nobody' })));
  assert.equal(missing.name, 'UserNotFoundException');
}

/** Signs the user in, then fails five times, which locks the user out. */
async function signInActions(pool: Pool, username: string): Promise<void> {
  const tokens = (await signIn(pool, username, PASSWORD)).AuthenticationResult!;
  secrets.push(tokens.AccessToken!, tokens.IdToken!, tokens.RefreshToken!);
  for (let i = 0; i < 5; i++) assert.equal((await captureError(() => signIn(pool, username, WRONG))).name, 'NotAuthorizedException');
}

/** Signs the user in, changes the password to CHANGED, then resets it to RESET. */
async function passwordActions(pool: Pool, username: string): Promise<void> {
  const tokens = (await signIn(pool, username, PASSWORD)).AuthenticationResult!;
  secrets.push(tokens.AccessToken!, tokens.IdToken!, tokens.RefreshToken!);
  await server.anonymous.send(
    new ChangePasswordCommand({ AccessToken: tokens.AccessToken!, PreviousPassword: PASSWORD, ProposedPassword: CHANGED }),
  );
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: username }));
  const code = (await server.lastMessage(pool.poolId, username, 'forgot-password'))!.code!;
  secrets.push(code);
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: username, ConfirmationCode: code, Password: RESET }),
  );
}

/** On the managed login page, fails to sign the user in with WRONG, then signs in with PASSWORD. */
async function hostedActions(pool: Pool, username: string): Promise<void> {
  const query = new URLSearchParams({ client_id: pool.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' });
  const url = `${server.url}/${pool.poolId}/login?${query}`;
  const page = await fetch(url);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(csrf, 'the sign-in form carries a CSRF token');
  const post = (password: string) =>
    fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
    });
  assert.equal((await post(WRONG)).status, 400);
  assert.equal((await post(PASSWORD)).status, 302);
}

test('admin changes are recorded with the access key, the pool, the target and the outcome; reads are not', async () => {
  const pool = await createPool();
  await createUser(pool, 'alice');
  await adminActions(pool);

  const events = (await stored(pool)).map((e) => [e.event, e.outcome, e.actor, e.username, e.clientId, e.error]);
  assert.deepEqual(events, [
    ['CreateUserPool', 'Pass', 'local', null, null, null],
    ['CreateUserPoolClient', 'Pass', 'local', null, pool.clientId, null],
    ['CreateUserPoolClient', 'Pass', 'local', null, pool.confidentialId, null],
    ['AdminCreateUser', 'Pass', 'local', 'alice', null, null],
    ['AdminSetUserPassword', 'Pass', 'local', 'alice', null, null],
    ['AdminCreateUser', 'Pass', 'local', 'bob', null, null],
    ['AdminDeleteUser', 'Fail', 'local', 'nobody', null, 'UserNotFoundException'],
  ]);
  const [created, client] = await stored(pool);
  assert.deepEqual(created!.detail, { PoolName: 'audited' });
  assert.equal(created!.at, clock.now());
  assert.equal(created!.sourceIp, '127.0.0.1');
  assert.match(created!.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(client!.detail, { ClientName: 'app' });
});

test('sign-ins, failures and the lockout they cause are recorded with the user, the client and the address', async () => {
  const pool = await createPool();
  await createUser(pool, 'alice');
  await signInActions(pool, 'alice');

  const user = await server.services.store.users.get(pool.poolId, 'alice');
  const events = (await stored(pool, 'alice')).filter((e) => e.event === 'SignIn' || e.event === 'Lockout');
  const { clientId } = pool;
  assert.deepEqual(
    events.map((e) => [e.event, e.outcome, e.error, e.clientId, e.sourceIp, e.actor]),
    [
      ['SignIn', 'Pass', null, clientId, '127.0.0.1', null],
      ...Array.from({ length: 4 }, () => ['SignIn', 'Fail', 'NotAuthorizedException', clientId, '127.0.0.1', null]),
      ['Lockout', 'Fail', null, clientId, '127.0.0.1', null],
      ['SignIn', 'Fail', 'NotAuthorizedException', clientId, '127.0.0.1', null],
    ],
  );
  assert.equal(events[0]!.sub, user!.sub);
  assert.deepEqual(events[0]!.detail, { flow: 'USER_PASSWORD_AUTH', via: 'public' });
  assert.deepEqual(events[5]!.detail, { failures: '5', lockedForSeconds: '1' });
  assert.equal(events[5]!.sub, user!.sub);
});

test('password changes and resets are recorded, for the user the token or the name identifies', async () => {
  const pool = await createPool();
  await createUser(pool, 'alice');
  await passwordActions(pool, 'alice');

  const user = await server.services.store.users.get(pool.poolId, 'alice');
  const events = (await stored(pool, 'alice')).filter((e) =>
    ['ChangePassword', 'ForgotPassword', 'ConfirmForgotPassword'].includes(e.event),
  );
  assert.deepEqual(
    events.map((e) => [e.event, e.outcome, e.clientId, e.sub, e.poolId]),
    [
      ['ChangePassword', 'Pass', pool.clientId, user!.sub, pool.poolId],
      ['ForgotPassword', 'Pass', pool.clientId, null, pool.poolId],
      ['ConfirmForgotPassword', 'Pass', pool.clientId, null, pool.poolId],
    ],
  );
});

test('a sign-in on the managed login pages is recorded as one', async () => {
  const pool = await createPool();
  await createUser(pool, 'alice');
  await hostedActions(pool, 'alice');

  const events = (await stored(pool, 'alice')).filter((e) => e.event === 'SignIn');
  assert.deepEqual(
    events.map((e) => [e.outcome, e.error, e.clientId, e.detail?.['via']]),
    [
      ['Fail', 'NotAuthorizedException', pool.clientId, 'hosted'],
      ['Pass', null, pool.clientId, 'hosted'],
    ],
  );
});

test('each stored event is also one audit log line, and neither carries a secret', async () => {
  const from = sink.text().length;
  const pool = await createPool();
  for (const username of ['alice', 'carol', 'dave']) await createUser(pool, username);
  await adminActions(pool);
  await signInActions(pool, 'alice');
  await passwordActions(pool, 'carol');
  await hostedActions(pool, 'dave');

  const rows = await stored(pool);
  assert.ok(rows.length >= 15, `the actions above were recorded (${rows.length})`);
  assert.deepEqual(
    logged(pool),
    // The log line is the event as it happened; feedback comes later, to the stored row only.
    rows.map(({ id: _id, feedback: _feedback, ...event }) => event),
  );
  const everything = `${JSON.stringify(rows)}\n${sink.text().slice(from)}`;
  for (const secret of secrets) assert.ok(!everything.includes(secret), `a secret was recorded: ${secret.slice(0, 10)}…`);
});

test('housekeeping deletes events past the retention period', async () => {
  const pool = await createPool();
  await createUser(pool, 'alice');
  const before = (await stored(pool)).length;
  assert.ok(before > 0);
  await clock.travel(server.services.config.auditRetentionDays * DAY - 60_000, () => runHousekeeping(server.services));
  assert.equal((await stored(pool)).length, before, 'events inside the retention period stay');
  await clock.travel(server.services.config.auditRetentionDays * DAY + 60_000, () => runHousekeeping(server.services));
  assert.deepEqual(await stored(pool), []);
});

test('with audit off, nothing is recorded', async () => {
  const quiet = logSink();
  const off = await startTestServer({ audit: false }, { logger: createLogger('info', quiet.stream) });
  try {
    const id = (await off.admin.send(new CreateUserPoolCommand({ PoolName: 'quiet' }))).UserPool!.Id!;
    assert.deepEqual(await off.services.store.auditEvents.list({ poolId: id }), []);
    assert.ok(!quiet.lines.some((line) => line['msg'] === 'audit'), 'no audit line');
  } finally {
    await off.stop();
  }
});
