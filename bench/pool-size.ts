/**
 * `npx tsx bench/pool-size.ts [--database postgres://...] [--sizes 10000,100000,1000000]`: what a
 * pool's size costs. One Cognate server (a child process, so its memory is its own) and one pool,
 * grown by `cognate load-users` to each size in turn; at each size (and on a 1,000-user pool first,
 * the baseline) it measures sequential AdminGetUser, USER_PASSWORD_AUTH sign-in, GetUser with the
 * sign-ins' access tokens, ListUsers with an email prefix, ListUsers page after page, and
 * DescribeUserPool (p50, p99, and the EstimatedNumberOfUsers it gives), the server's RSS and its peak
 * during the measurement, the database's size, and the loader's users/s. Writes
 * bench/results/<date>-pool-size-<engine>.json, docs/pool-size-<engine>.svg, and the "Pool size"
 * section of docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { percentile } from './load.js';
import { describeMachine } from './machine.js';
import { createBenchSchema, withClient, type BenchSchema } from './postgres.js';
import { memory, resetPeakRss } from './process-stats.js';
import { poolSizeChart, renderDocsFromLatest, type PoolSizeReport, type PoolSizeStep } from './report.js';
import { ROOT } from './targets.js';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
    samples: { type: 'string', default: '500' },
    'sign-ins': { type: 'string', default: '100' },
    dist: { type: 'boolean', default: false },
  },
});

const PASSWORD = 'Pool-Size-9';
const BASELINE = 1000;
const sizes = args.sizes.split(',').map((s) => Number(s.replace(/_/g, '')));
const samples = Number(args.samples);
const signIns = Number(args['sign-ins']);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const folder = mkdtempSync(join(tmpdir(), 'cognate-pool-size-'));
let schema: BenchSchema | undefined;
let server: ChildProcess | undefined;

function cognate(env: NodeJS.ProcessEnv, cliArgs: string[]): ChildProcess {
  const entry = args.dist ? [join(ROOT, 'dist/cli.js')] : ['--import', 'tsx', join(ROOT, 'src/cli.ts')];
  return spawn(process.execPath, [...entry, ...cliArgs], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function runToEnd(env: NodeJS.ProcessEnv, cliArgs: string[]): Promise<string> {
  const child = cognate(env, cliArgs);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`cognate ${cliArgs.join(' ')} exited ${code}: ${err.slice(-500)}`);
  return out;
}

async function timed(count: number, work: (i: number) => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number }> {
  for (let i = 0; i < Math.min(20, count); i++) await work(i); // JIT, caches, connections
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const engine = args.database ? 'postgres' : 'sqlite';
  let databaseUrl = `sqlite:${join(folder, 'cognate.db')}`;
  if (args.database) {
    schema = await createBenchSchema(args.database);
    databaseUrl = schema.url;
  }
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COGNATE_'))),
    NODE_ENV: 'production',
    COGNATE_DATABASE_URL: databaseUrl,
    COGNATE_MASTER_KEY: randomBytes(32).toString('base64'),
    COGNATE_DATA_DIR: folder,
    COGNATE_LOG_LEVEL: 'warn',
    COGNATE_PORT: '0',
    COGNATE_ADMIN_KEYS: 'local:local',
  };
  server = cognate(env, ['start']);
  const child = server;
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const pid = child.pid!;
  const sdk = new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const idleRssBytes = memory(pid).rss;
  log(`server ${url} (pid ${pid}) on ${engine}; idle RSS ${(idleRssBytes / 2 ** 20).toFixed(0)} MB`);

  const steps: PoolSizeStep[] = [];
  interface Pool {
    poolId: string;
    clientId: string;
    loaded: number;
  }
  const newPool = async (name: string): Promise<Pool> => {
    const poolId = (await sdk.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
    const clientId = (
      await sdk.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'probe', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    return { poolId, clientId, loaded: 0 };
  };
  const grow = async (pool: Pool, size: number): Promise<number> => {
    const out = await runToEnd(env, [
      'load-users',
      ...['--pool', pool.poolId, '--count', String(size - pool.loaded), '--start', String(pool.loaded), '--password', PASSWORD],
      ...['--batch', '5000'],
    ]);
    pool.loaded = size;
    log(`${pool.poolId}: ${size} users (${out.trim()})`);
    return Number(/\(([\d.]+) users\/s\)/.exec(out)?.[1] ?? NaN);
  };
  /** The SQLite file, or the bench schema's tables with their indexes and TOAST. */
  const databaseBytes = async (): Promise<number> => {
    if (!schema) return statSync(join(folder, 'cognate.db')).size;
    const { name } = schema;
    const { rows } = await withClient(schema.url, (client) =>
      client.query<{ bytes: string }>(
        `select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c
           join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'm')`,
        [name],
      ),
    );
    return Number(rows[0]!.bytes);
  };
  const measureAt = async (pool: Pool, baseline: boolean, loadUsersPerSecond?: number): Promise<void> => {
    const { poolId, clientId, loaded: size } = pool;
    const random = (): string => `user${Math.floor(Math.random() * size)}`;
    resetPeakRss(pid);
    const adminGetUser = await timed(samples, () => sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: random() })));
    const accessTokens: string[] = [];
    const signIn = await timed(signIns, async () => {
      const answer = await sdk.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: random(), PASSWORD } }),
      );
      if (!answer.AuthenticationResult?.AccessToken) throw new Error('sign-in gave no tokens');
      accessTokens.push(answer.AuthenticationResult.AccessToken);
    });
    const getUser = await timed(samples, () =>
      sdk.send(new GetUserCommand({ AccessToken: accessTokens[Math.floor(Math.random() * accessTokens.length)]! })),
    );
    // user<k> for k below 1000 matches about a thousandth of the pool: user12, user120..129, ...
    const listUsers = await timed(samples, () =>
      sdk.send(
        new ListUsersCommand({
          UserPoolId: poolId,
          Filter: `email ^= "user${1 + Math.floor(Math.random() * Math.min(999, size - 1))}"`,
          Limit: 60,
        }),
      ),
    );
    // Keyset pages: each page is a range of the index after the last page's key, so page n costs what page 1 does.
    let pageToken: string | undefined;
    const listUsersPages = await timed(samples, async () => {
      const page = await sdk.send(
        new ListUsersCommand({ UserPoolId: poolId, Limit: 60, ...(pageToken ? { PaginationToken: pageToken } : {}) }),
      );
      pageToken = page.PaginationToken;
    });
    let estimatedUsers = 0;
    const describeUserPool = await timed(signIns, async () => {
      estimatedUsers = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.EstimatedNumberOfUsers ?? 0;
    });
    const { rss, peak } = memory(pid);
    steps.push({
      users: size,
      baseline,
      ...(loadUsersPerSecond === undefined ? {} : { loadUsersPerSecond }),
      adminGetUser,
      getUser,
      signIn,
      listUsers,
      listUsersPages,
      describeUserPool,
      estimatedUsers,
      rssBytes: rss,
      peakRssBytes: peak,
      databaseBytes: await databaseBytes(),
    });
    const ms = (name: string, { p50Ms, p99Ms }: { p50Ms: number; p99Ms: number }): string =>
      `${name} p50 ${p50Ms.toFixed(2)} p99 ${p99Ms.toFixed(2)} ms`;
    log(
      `  ${[
        ms('AdminGetUser', adminGetUser),
        ms('GetUser', getUser),
        ms('sign-in', signIn),
        ms('ListUsers', listUsers),
        ms('pages', listUsersPages),
        ms('DescribeUserPool', describeUserPool),
      ].join('; ')}; estimate ${estimatedUsers}; RSS ${(rss / 2 ** 20).toFixed(0)} MB (peak ${(peak / 2 ** 20).toFixed(0)})`,
    );
  };

  // The baseline is a small pool of its own, measured before the big one grows and again after
  // (on a shared machine either may be the slower; the comparison takes the faster). The big pool
  // is extended from one size to the next.
  const small = await newPool('pool-size-baseline');
  await grow(small, BASELINE);
  await measureAt(small, true);
  const big = await newPool('pool-size-grown');
  for (const size of sizes) await measureAt(big, false, await grow(big, size));
  log('baseline again:');
  await measureAt(small, true);
  sdk.destroy();

  const report: PoolSizeReport = {
    kind: 'pool-size',
    engine,
    startedAt: startedAt.toISOString(),
    machine: describeMachine(),
    runner: args.dist ? 'node dist/cli.js' : 'node --import tsx src/cli.ts',
    samples,
    signIns,
    idleRssBytes,
    steps,
  };
  const stamp = report.startedAt.replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const file = join(ROOT, 'bench/results', `${stamp}-pool-size-${engine}.json`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(ROOT, `docs/pool-size-${engine}.svg`), poolSizeChart(report));
  renderDocsFromLatest();
  log(`wrote ${relative(ROOT, file)}, docs/pool-size-${engine}.svg and docs/benchmarks.md`);
}

async function cleanUp(): Promise<void> {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await schema?.drop().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`pool-size failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
