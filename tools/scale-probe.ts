/**
 * Ad-hoc scale probe (not part of the test suite): latency of the hot paths on a pool with a
 * million users or more against a small pool, on one database, through the AWS SDK, with the
 * server's memory.
 *
 *   tsx tools/scale-probe.ts --database <url> [--load 1000000 | --pool <poolId> --count <users>] [--extend N]
 *                            [--small 100] [--samples 1000] [--sign-ins 200]
 *
 * It starts `cognate start` as a child process on a free port (so its RSS is the server's alone),
 * creates a small pool and, with --load, a big pool filled by `cognate load-users` (whose users/s it
 * reports); with --pool it reuses a pool loaded earlier (same database and COGNATE_MASTER_KEY) and
 * --extend adds N more users to it first. Then, for each pool, it measures sequentially
 * AdminGetUser of random users, USER_PASSWORD_AUTH sign-ins and ListUsers with a random email
 * prefix, and prints p50/p99 and the server's RSS. COGNATE_MASTER_KEY is taken from the environment
 * or generated and printed, so a later run can reuse the loaded pool.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const PASSWORD = 'Scale-Probe-9';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function numberOption(name: string, fallback: number): number {
  const text = option(name);
  return text === undefined ? fallback : Number(text.replace(/_/g, ''));
}

const databaseUrl = option('--database');
if (!databaseUrl) {
  process.stderr.write(
    'usage: tsx tools/scale-probe.ts --database <url> [--load N | --pool ID] [--extend N] [--small 100] [--samples 1000] [--sign-ins 200]\n',
  );
  process.exit(2);
}
const masterKey = process.env['COGNATE_MASTER_KEY'] ?? randomBytes(32).toString('base64');
const dataDir = mkdtempSync(join(tmpdir(), 'cognate-probe-'));
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COGNATE_'))),
  COGNATE_DATABASE_URL: databaseUrl,
  COGNATE_MASTER_KEY: masterKey,
  COGNATE_DATA_DIR: dataDir,
  COGNATE_LOG_LEVEL: 'warn',
  COGNATE_PORT: '0',
};

function cognate(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function runCognate(args: string[]): Promise<string> {
  const child = cognate(args);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`cognate ${args.join(' ')} exited ${code}`);
  return out;
}

/** The server child, stopped on the way out even when the probe fails. */
let serverChild: ChildProcess | undefined;

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = cognate(['start']);
  serverChild = child;
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

/** Resident and peak resident memory of a process, in MiB (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kib('VmRSS') / 1024), peak: Math.round(kib('VmHWM') / 1024) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(samples: number, work: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; mean: number }> {
  for (let i = 0; i < Math.min(20, samples); i++) await work(i); // warm-up: JIT, caches, connections
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  times.sort((x, y) => x - y);
  return { p50: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((s, t) => s + t, 0) / times.length };
}

const randomIndex = (count: number): number => Math.floor(Math.random() * count);

async function main(): Promise<void> {
  const server = await startServer();
  const admin = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const anonymous = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAPROBE', secretAccessKey: 'none' },
    maxAttempts: 1,
  });
  const lines: string[] = [];
  const report = (line: string): void => {
    lines.push(line);
    process.stdout.write(line + '\n');
  };
  report(`database: ${databaseUrl!.replace(/\/\/[^@/]*@/, '//***@')}; COGNATE_MASTER_KEY=${masterKey}`);
  report(`server: ${server.url} (pid ${server.child.pid}), RSS after start ${memoryOf(server.child.pid!).rss} MiB`);

  async function clientFor(poolId: string): Promise<string> {
    const existing = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
    const found = existing.UserPoolClients?.find((c) => c.ClientName === 'probe');
    if (found) return found.ClientId!;
    const created = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'probe',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    return created.UserPoolClient!.ClientId!;
  }

  async function newPool(name: string): Promise<string> {
    return (await admin.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
  }

  async function load(poolId: string, count: number, start = 0): Promise<void> {
    const out = await runCognate([
      'load-users',
      '--pool',
      poolId,
      '--count',
      String(count),
      '--start',
      String(start),
      '--password',
      PASSWORD,
    ]);
    report(`load-users ${count} users (from ${start}) into ${poolId}: ${out.trim()}`);
  }

  const small = numberOption('--small', 100);
  const smallPool = await newPool('probe-small');
  await load(smallPool, small);

  let bigPool = option('--pool');
  let bigCount: number;
  if (bigPool) {
    bigCount = numberOption('--count', 1_000_000);
    const extend = numberOption('--extend', 0);
    if (extend > 0) {
      await load(bigPool, extend, bigCount);
      bigCount += extend;
    }
  } else {
    bigCount = numberOption('--load', 1_000_000);
    bigPool = await newPool('probe-big');
    await load(bigPool, bigCount);
  }
  report(`big pool ${bigPool} (${bigCount} users); RSS after loads ${memoryOf(server.child.pid!).rss} MiB`);

  const samples = numberOption('--samples', 1000);
  const signIns = numberOption('--sign-ins', 200);
  const results: string[] = ['| pool | users | operation | samples | p50 ms | p99 ms | mean ms |', '|---|---:|---|---:|---:|---:|---:|'];
  for (const [label, poolId, count] of [
    ['small', smallPool, small],
    ['big', bigPool, bigCount],
  ] as const) {
    const clientId = await clientFor(poolId);
    const row = (operation: string, n: number, m: { p50: number; p99: number; mean: number }): void => {
      results.push(`| ${label} | ${count} | ${operation} | ${n} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.mean.toFixed(2)} |`);
      process.stdout.write(`${results[results.length - 1]}\n`);
    };
    row(
      'AdminGetUser',
      samples,
      await measure(samples, () => admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `user${randomIndex(count)}` }))),
    );
    row(
      'InitiateAuth USER_PASSWORD_AUTH',
      signIns,
      await measure(signIns, async () => {
        const out = await anonymous.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: { USERNAME: `user${randomIndex(count)}`, PASSWORD },
          }),
        );
        if (!out.AuthenticationResult) throw new Error('no tokens');
      }),
    );
    // user<k> for k < 1000 matches about 1/1000 of the pool (user12 -> user12, user120-129, ...).
    row(
      'ListUsers email ^= (60 per page)',
      samples,
      await measure(samples, () =>
        admin.send(
          new ListUsersCommand({ UserPoolId: poolId, Filter: `email ^= "user${1 + randomIndex(Math.min(999, count))}"`, Limit: 60 }),
        ),
      ),
    );
    row(
      'ListUsers given_name = (60 per page)',
      samples,
      await measure(samples, () => admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'given_name = "Alice"', Limit: 60 }))),
    );
  }
  const memory = memoryOf(server.child.pid!);
  process.stdout.write(`\n${results.join('\n')}\n\nserver RSS ${memory.rss} MiB (peak ${memory.peak} MiB)\n`);

  admin.destroy();
  anonymous.destroy();
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  serverChild?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  process.exitCode = 1;
});
