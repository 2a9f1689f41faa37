import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { waitUntil } from '../support/wait.js';
import { START_DEADLINE_MS } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { functionArn, moduleFunctions } from '../support/functions.js';
import { fireTrigger } from '../../src/triggers/fire.js';
import { cognateCommand } from '../../src/tools-cli/cognate.js';

/**
 * The `cognate` command as an operator runs it: `node --import tsx src/cli.ts ...` in a child
 * process, with no COGNATE_* variables but those the test gives; the command line's own answers
 * (usage, version, refused arguments) also in this process, which is cheaper than a process each.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'cognate-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A config file with port 0 (a free port), for starts where COGNATE_PORT cannot say it. */
const PORT_0_CONFIG = join(dataDir, 'port0.json');
writeFileSync(PORT_0_CONFIG, JSON.stringify({ port: 0 }));

function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

interface Started {
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` on stdout; rejects if the process exits first or the deadline passes. */
  waitFor(pattern: RegExp, deadlineMs?: number): Promise<RegExpExecArray>;
  /** How the process ended; if it has not within `deadlineMs`, it is killed (SIGKILL) and this fails. */
  ended(deadlineMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

/** Starts `cognate <args>` with the given COGNATE_* variables. */
function cognate(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...withoutCognateVariables(process.env), COGNATE_DATA_DIR: dataDir, COGNATE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    stdout: () => out,
    stderr: () => err,
    ended: async (deadlineMs = START_DEADLINE_MS) => {
      try {
        return await waitUntil(
          () => (child.exitCode !== null || child.signalCode !== null) && { code: child.exitCode, signal: child.signalCode },
          () => `cognate ${args.join(' ')} was still running:\n${out}\n${err}`,
          { timeoutMs: deadlineMs },
        );
      } catch (error) {
        child.kill('SIGKILL');
        throw error;
      }
    },
    kill: () => child.kill('SIGTERM'),
    waitFor: (pattern, deadlineMs = START_DEADLINE_MS) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on stdout within ${deadlineMs} ms:\n${out}\n${err}`)), deadlineMs);
        const check = (): void => {
          const match = pattern.exec(out);
          if (!match) return;
          clearTimeout(timer);
          resolve(match);
        };
        child.stdout.on('data', check);
        check();
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`exited (${signal ?? code}) before ${pattern}:\n${out}\n${err}`));
        });
      }),
  };
}

test('start inside a Kubernetes pod next to a Service named cognate: the service links are ignored with a warning', async () => {
  // The port comes from a config file: COGNATE_PORT is taken by the service link.
  const server = cognate(['start'], {
    COGNATE_CONFIG: PORT_0_CONFIG,
    COGNATE_PORT: 'tcp://10.0.0.1:9229',
    COGNATE_SERVICE_HOST: '10.0.0.1',
    COGNATE_SERVICE_PORT: '9229',
    COGNATE_PORT_9229_TCP: 'tcp://10.0.0.1:9229',
    COGNATE_PORT_9229_TCP_ADDR: '10.0.0.1',
    COGNATE_PORT_9229_TCP_PORT: '9229',
    COGNATE_PORT_9229_TCP_PROTO: 'tcp',
  });
  try {
    const [, url] = await server.waitFor(/listening on (http:\/\/\S+)/);
    const health = await fetch(`${url}/health/live`);
    assert.equal(health.status, 200);
    assert.match(server.stderr(), /warning: ignoring Kubernetes service variables COGNATE_PORT, COGNATE_PORT_9229_TCP, /);
  } finally {
    server.kill();
    assert.equal((await server.ended()).code, 0);
  }
});

test('start with several workers: each worker bounds held connections the same way', async () => {
  const server = cognate(['start'], {
    COGNATE_CONFIG: PORT_0_CONFIG,
    COGNATE_WORKERS: '2',
    COGNATE_HEADERS_TIMEOUT: '500',
    COGNATE_REQUEST_TIMEOUT: '1000',
  });
  const sockets: Socket[] = [];
  try {
    const [, url] = await server.waitFor(/listening on (http:\/\/\S+)[\s\S]*workers: +2 processes/);
    const port = Number(new URL(url!).port);
    // Several connections, so both workers get some; each one sends half its headers and holds.
    const answers = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<string>((resolve, reject) => {
            const socket = connect({ port, host: '127.0.0.1' }, () => socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n'));
            sockets.push(socket);
            let received = '';
            socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
            socket.on('error', () => undefined);
            const timer = setTimeout(
              () => reject(new Error(`a held socket was still open after 15 s; got ${JSON.stringify(received)}`)),
              15_000,
            );
            socket.once('close', () => {
              clearTimeout(timer);
              resolve(received);
            });
          }),
      ),
    );
    for (const answer of answers) assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.equal((await fetch(`${url}/health/live`)).status, 200);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.kill();
    assert.equal((await server.ended()).code, 0);
  }
});

/** Runs `cognate <args>` to its end in a data folder of its own; fails if it runs past 30 s. */
async function cognateRun(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; dataDir: string }> {
  const own = mkdtempSync(join(tmpdir(), 'cognate-cli-run-'));
  const child = cognate(args, { COGNATE_DATA_DIR: own });
  const { code, signal } = await child.ended(30_000);
  assert.equal(signal, null, `cognate ${args.join(' ')} ended by ${signal}:\n${child.stdout()}\n${child.stderr()}`);
  return { code, stdout: child.stdout(), stderr: child.stderr(), dataDir: own };
}

/**
 * Runs `cognate <args>` in this process (src/tools-cli/cognate.ts, what src/cli.ts runs) with a data
 * folder of its own and no other COGNATE_* variable but `variables`: for the command line's answers
 * and the commands that read a server's database, which a child process would only add its start
 * to. The spawned cases (start, --version, a usage and a refusal) check the process.
 */
async function cognateInProcess(
  args: string[],
  variables: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; dataDir: string }> {
  const own = variables['COGNATE_DATA_DIR'] ?? mkdtempSync(join(tmpdir(), 'cognate-cli-run-'));
  let stdout = '';
  let stderr = '';
  const env = { ...withoutCognateVariables(process.env), COGNATE_DATA_DIR: own, COGNATE_LOG_LEVEL: 'warn', ...variables };
  const code = await cognateCommand(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, env);
  return { code, stdout, stderr, dataDir: own };
}

test('--version and -v print the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const result of [await cognateRun(['--version']), await cognateInProcess(['-v'])]) {
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
  }
});

test('<command> --help prints that command usage and exits 0 without doing anything', { concurrency: true }, async (t) => {
  const check = (result: Awaited<ReturnType<typeof cognateInProcess>>, usage: string): void => {
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.startsWith(usage), result.stdout);
    assert.deepEqual(readdirSync(result.dataDir), [], 'no database, no master key: nothing was started or migrated');
    rmSync(result.dataDir, { recursive: true, force: true });
  };
  for (const [args, usage] of [
    [['start', '--help'], 'Usage: cognate start'],
    [['migrate', '--help'], 'Usage: cognate migrate'],
    [['inbox', '-h'], 'Usage: cognate inbox'],
    [['invocations', '--help'], 'Usage: cognate invocations'],
    [['keys', '--help'], 'Usage: cognate keys'],
    [['load-users', '--help'], 'Usage: cognate load-users'],
    [['revoke-credentials', '--help'], 'Usage: cognate revoke-credentials'],
    [['gateway', '--help'], 'Usage: cognate gateway list'],
    [['apply', '--help'], 'Usage: cognate apply'],
    [['export', '--help'], 'Usage: cognate export'],
    [['import', '--help'], 'Usage: cognate import'],
    [['backup', '--help'], 'Usage: cognate backup'],
    [['help', 'migrate'], 'Usage: cognate migrate'],
    [['--help'], 'Usage: cognate <command>'],
  ] as const) {
    await t.test(args.join(' '), async () => check(await cognateInProcess([...args]), usage));
  }
  await t.test('start --help, as a process', async () => check(await cognateRun(['start', '--help']), 'Usage: cognate start'));
});

test('an unknown command, option or argument exits 2 with a clear message and the usage', { concurrency: true }, async (t) => {
  const check = (result: Awaited<ReturnType<typeof cognateInProcess>>, message: RegExp): void => {
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, message);
    assert.deepEqual(readdirSync(result.dataDir), [], 'nothing was started or migrated');
    rmSync(result.dataDir, { recursive: true, force: true });
  };
  for (const [args, message] of [
    [['frobnicate'], /^unknown command: frobnicate\nUsage: cognate <command>/],
    [['--port', '80'], /^unknown option: --port\n/],
    [['start', '--port', '80'], /^cognate start: Unknown option '--port'[\s\S]*Usage: cognate start/],
    [['migrate', 'now'], /^cognate migrate: Unexpected argument 'now'[\s\S]*Usage: cognate migrate/],
    [['inbox', '--usr', 'alice'], /^cognate inbox: Unknown option '--usr'/],
    [['invocations'], /^--pool is required\nUsage: cognate invocations/],
    [['revoke-credentials'], /^revoke-credentials needs an access key id\nUsage: cognate revoke-credentials/],
    [['gateway', 'put'], /^gateway put needs a file\nUsage: cognate gateway list/],
    [['gateway', 'rename'], /^gateway needs list, put or delete\nUsage: cognate gateway list/],
    [['apply'], /^cognate apply: the file to apply is required\nUsage: cognate apply/],
    [['apply', 'setup.yaml', '--force'], /^cognate apply: Unknown option '--force'/],
    [['apply', 'a.yaml', 'b.yaml'], /^cognate apply: unexpected argument b\.yaml/],
    [['keys', 'rotate', '--pool', 'us-east-1_a', '--force'], /^cognate keys: Unknown option '--force'/],
    [['load-users', '--pool', 'us-east-1_a', '--count', '5', '--srpp'], /^cognate load-users: Unknown option '--srpp'/],
  ] as const) {
    await t.test(args.join(' '), async () => check(await cognateInProcess([...args]), message));
  }
  await t.test('frobnicate, as a process', async () =>
    check(await cognateRun(['frobnicate']), /^unknown command: frobnicate\nUsage: cognate <command>/),
  );
});

test("invocations prints what a pool's triggers did, newest first, as lines or JSON", async () => {
  const functions = moduleFunctions({
    'pre-sign-up': `export const handler = async (event) => {
  console.log('checking', event.userName);
  if (event.userName === 'mallory') throw new Error('Registration from this domain is not allowed.');
  return event;
};`,
  });
  const server = await startTestServer({ functions });
  try {
    const created = await server.admin.send(
      new CreateUserPoolCommand({ PoolName: 'cli-invocations', LambdaConfig: { PreSignUp: functionArn('pre-sign-up') } }),
    );
    const pool = (await server.services.store.pools.get(created.UserPool!.Id!))!;
    const call = { trigger: 'PreSignUp', triggerSource: 'PreSignUp_SignUp', clientId: 'client-1', request: {} } as const;
    await fireTrigger(server.services, pool, { ...call, userName: 'alice' });
    await assert.rejects(fireTrigger(server.services, pool, { ...call, userName: 'mallory' }), { name: 'UserLambdaValidationException' });
    await server.services.invocations.flush();

    const env = { COGNATE_DATA_DIR: server.services.config.dataDir, COGNATE_DATABASE_URL: server.services.config.databaseUrl };
    const lines = await cognateInProcess(['invocations', '--pool', pool.id], env);
    assert.equal(lines.code, 0, lines.stderr);
    assert.match(
      lines.stdout,
      /^\S+Z {2}PreSignUp_SignUp {2}pre-sign-up \(module\) {2}\d+ ms {2}handler-error: Registration from this domain is not allowed\.\n {4}\| checking mallory\n\S+Z {2}PreSignUp_SignUp {2}pre-sign-up \(module\) {2}\d+ ms {2}ok\n {4}\| checking alice\n$/,
    );
    const json = await cognateInProcess(['invocations', '--pool', pool.id, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const records = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      records.map((r) => [r['functionArn'], r['triggerSource'], r['outcome'], r['logs']]),
      [
        [functionArn('pre-sign-up'), 'PreSignUp_SignUp', 'handler-error', 'checking mallory\n'],
        [functionArn('pre-sign-up'), 'PreSignUp_SignUp', 'ok', 'checking alice\n'],
      ],
    );
  } finally {
    await server.stop();
  }
});

test('revoke-credentials revokes temporary credentials by access key id, and says when there are none', async () => {
  const server = await startTestServer();
  try {
    const { store } = server.services;
    const now = server.services.clock.now();
    await store.stsSessions.insert({
      accessKeyId: 'ASIACLITEST000000000',
      secretAccessKey: 'secret',
      tokenHash: 'hash',
      roleArn: 'arn:aws:iam::000000000000:role/cli',
      sessionName: 'CognitoIdentityCredentials',
      subject: 'us-east-1:cli',
      source: 'cognito-identity',
      createdAt: now,
      expiresAt: now + 3600_000,
      revoked: false,
      principalTags: {},
    });
    const env = { COGNATE_DATA_DIR: server.services.config.dataDir, COGNATE_DATABASE_URL: server.services.config.databaseUrl };
    const revoked = await cognateInProcess(['revoke-credentials', 'ASIACLITEST000000000'], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, 'revoked the temporary credentials ASIACLITEST000000000\n');
    assert.equal((await store.stsSessions.get('ASIACLITEST000000000'))?.revoked, true);
    const unknown = await cognateInProcess(['revoke-credentials', 'ASIAUNKNOWN000000000'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: no temporary credentials with the access key id ASIAUNKNOWN000000000/);
  } finally {
    await server.stop();
  }
});
