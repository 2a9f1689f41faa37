import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { freePort } from '../../bench/targets.js';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { eventually } from '../support/eventually.js';
import {
  TEST_PG_URL_VARIABLE,
  createTestSchema,
  postgresSkipReason,
  runningInCi,
  testPostgresUrl,
  type TestSchema,
} from '../support/postgres.js';

/**
 * Two nodes over one PostgreSQL schema reached through Debian's pgbouncer in transaction mode, as
 * a deployment with many nodes puts it in front of the database: every statement of a node may go
 * to another server connection. Cognate uses no session state on its pooled connections
 * (no named prepared statements, advisory locks only inside transactions, the schema set by the
 * pooler), so the operations work; and its cache of pools and clients, whose change notifications
 * cannot be trusted to arrive through such a pooler, still sees another node's change within the
 * read lease.
 */

const PGBOUNCER = '/usr/sbin/pgbouncer';
const url = testPostgresUrl();
const PASSWORD = 'Pooled-Pass-1';

/** Resolves once something accepts connections on the port; fails after `ms`. */
async function listening(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) assert.fail(`pgbouncer did not listen on ${port} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts pgbouncer in transaction mode in front of the test database, every server connection set
 * to `schema`. It refuses to run as root: as root it switches to the `postgres` user (-u).
 */
async function startPgbouncer(schema: TestSchema, base: URL): Promise<{ url: string; stop(): void }> {
  const folder = mkdtempSync(join(tmpdir(), 'cognate-pgbouncer-'));
  chmodSync(folder, 0o755);
  const port = await freePort();
  const user = decodeURIComponent(base.username);
  const password = decodeURIComponent(base.password);
  const database = base.pathname.slice(1);
  const ini = join(folder, 'pgbouncer.ini');
  const users = join(folder, 'users.txt');
  writeFileSync(
    ini,
    `[databases]
cognate = host=${base.hostname} port=${base.port || '5432'} dbname=${database} user=${user} password=${password} connect_query='set search_path to "${schema.name}"'

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${users}
pool_mode = transaction
ignore_startup_parameters = extra_float_digits,options
max_client_conn = 200
default_pool_size = 8
`,
    { mode: 0o644 },
  );
  writeFileSync(users, `"${user}" ""\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: 'ignore' });
  await listening(port);
  return {
    url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/cognate`,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

if (url !== undefined && existsSync(PGBOUNCER)) {
  describe('two nodes through pgbouncer in transaction mode', () => {
    let schema: TestSchema;
    let bouncer: { url: string; stop(): void };
    let a: TestServer;
    let b: TestServer;
    let poolId: string;
    let clientId: string;

    before(async () => {
      schema = await createTestSchema(url);
      bouncer = await startPgbouncer(schema, new URL(url));
      const masterKey = randomBytes(32).toString('base64');
      const publicUrl = 'http://cognate-lb.internal:9229';
      // One after the other: the first node migrates through the pooler, the second finds it current.
      // Without named prepared statements, which a server connection keeps for whoever prepared them
      // (with them, the second client to prepare a text is refused: "already exists").
      const node = { databaseUrl: bouncer.url, masterKey, publicUrl, databasePreparedStatements: false };
      a = await startTestServer(node);
      b = await startTestServer(node);
      poolId = (await a.admin.send(new CreateUserPoolCommand({ PoolName: 'pooled' }))).UserPool!.Id!;
      clientId = (
        await a.admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: 'app',
            ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
        )
      ).UserPoolClient!.ClientId!;
    });

    after(async () => {
      await a?.stop();
      await b?.stop();
      bouncer?.stop();
      await schema?.drop();
    });

    const signIn = (node: TestServer, username: string) =>
      node.anonymous.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }),
      );

    test('a user signs up on one node and signs in, refreshes and is read on both', async () => {
      await b.anonymous.send(new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: PASSWORD }));
      await a.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'alice' }));
      const tokens = (await signIn(b, 'alice')).AuthenticationResult!;
      const me = await a.anonymous.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
      assert.equal(me.Username, 'alice');
      const refreshed = await a.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: clientId,
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        }),
      );
      assert.ok(refreshed.AuthenticationResult?.AccessToken);
      assert.equal((await b.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus, 'CONFIRMED');
      const listed = await b.admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "ali"' }));
      assert.deepEqual(
        listed.Users?.map((u) => u.Username),
        ['alice'],
      );
      // A wrong password is still refused with Cognito's error through the pooler.
      const wrong = await captureError(() =>
        a.anonymous.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: { USERNAME: 'alice', PASSWORD: 'Wrong-Pass-1' },
          }),
        ),
      );
      assert.equal(wrong.name, 'NotAuthorizedException');
    });

    test("node B follows node A's change to an app client it has cached, within the read lease", async () => {
      await b.anonymous.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: PASSWORD }));
      await b.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'bob' }));
      assert.ok((await signIn(b, 'bob')).AuthenticationResult, 'node B signs in with the client, and keeps it');
      await a.admin.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      // Notifications may not come through the pooler; the 5 s lease bounds how long B can miss it.
      await eventually(
        'node B refuses the flow node A turned off',
        async () => {
          try {
            await signIn(b, 'bob');
            return false;
          } catch (error) {
            return (error as Error).name === 'InvalidParameterException';
          }
        },
        15_000,
      );
    });
  });
} else if (runningInCi()) {
  test('two nodes through pgbouncer in transaction mode', () => {
    assert.fail(`${TEST_PG_URL_VARIABLE} must be set and ${PGBOUNCER} installed in CI (.ci/run does both)`);
  });
} else {
  test('two nodes through pgbouncer in transaction mode', { skip: postgresSkipReason() ?? `${PGBOUNCER} is not installed` }, () => {});
}
