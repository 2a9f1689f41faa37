import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memory, processTree } from './process-stats.js';

/** The repository root (bench/ lives directly under it). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The function the trigger pool's PreTokenGeneration names (bench/seed.ts); Cognate maps it to bench/functions/. */
export const BENCH_TRIGGER_FUNCTION = 'bench-pre-token-generation';
/** The function the hung pool's custom auth triggers name: bench/functions/hung.mjs, which never answers. */
export const BENCH_HUNG_FUNCTION = 'bench-hung';

export type TargetKind = 'cognate' | 'cognito-local';

/** A server under test, running as a child process on its own port and data folder. */
export interface Target {
  /** Short id used in results: `cognate-sqlite`, `cognate-postgres`, `cognito-local`. */
  id: string;
  kind: TargetKind;
  label: string;
  /** How the server was started, for the report. */
  command: string;
  url: string;
  /** The process whose tree (a supervisor and its workers, or one process) is measured. */
  pid: number;
  /**
   * Every node serving the target, each with its own URL and process (the first is `url`, `pid`).
   * Several nodes share one database, as behind a load balancer; the load is split over them.
   */
  nodes: readonly { url: string; pid: number }[];
  /** SigV4 key pair for admin operations (cognito-local accepts anything). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** From spawn until the readiness URL first answered 200. */
  startToReadyMs: number;
  /** Resident set size shortly after readiness, before any request (all its processes). */
  idleRssBytes: number;
  /** Server processes at idle: supervisors, workers and nodes. */
  processes: number;
  /** Where the process's stdout and stderr go, for when something fails. */
  logFile: string;
  /**
   * Runs a `cognate` command (`gateway put <file>`, say) over the target's data, as its operator
   * would beside the running server; answers its output. Cognate targets only.
   */
  cli?(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface CognateOptions {
  /** `sqlite` uses a file in a temp folder; `postgres` needs the URL. */
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string };
  /** `tsx` runs src/cli.ts through tsx (no build needed); `dist` runs the compiled dist/cli.js. */
  runner: 'tsx' | 'dist';
  /** COGNATE_WORKERS of each node (default 1). */
  workers?: number;
  /** Separate `cognate start` processes on their own ports over the same database (default 1). */
  nodes?: number;
}

/** A free loopback TCP port, found by letting the kernel pick one and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
    req.end();
  });
}

/** A server that did not come up: a one-line reason for the report, and its log's tail for the console. */
export class StartError extends Error {
  constructor(
    message: string,
    readonly logTail: string,
  ) {
    super(message);
  }
}

function startError(what: string, logFile: string): StartError {
  let lines: string[] = [];
  try {
    lines = readFileSync(logFile, 'utf8').split('\n');
  } catch {
    // no log yet
  }
  const cause = lines.find((line) => /^\w*Error\b|error:/.test(line.trim()))?.trim();
  return new StartError(cause ? `${what}: ${cause}` : what, lines.slice(-20).join('\n'));
}

/** Polls until `url` answers 200; the elapsed time since `startedAt` is the start-to-ready time. */
async function waitReady(child: ChildProcess, url: string, startedAt: number, logFile: string, timeoutMs = 60_000): Promise<number> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw startError(`exited with ${child.exitCode ?? child.signalCode} before it was ready`, logFile);
    }
    if ((await getStatus(url)) === 200) return performance.now() - startedAt;
    if (performance.now() - startedAt > timeoutMs) throw startError(`not ready after ${timeoutMs} ms`, logFile);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The parent environment without COGNATE_* (Cognate rejects unknown COGNATE_* variables, e.g. COGNATE_BENCH_PG_URL). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COGNATE_')));
}

function stopper(child: ChildProcess, folder: string | undefined): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (folder) rmSync(folder, { recursive: true, force: true });
  };
}

/** Waits until `pattern` appears in the log file (the server's stdout and stderr). */
async function waitForLine(child: ChildProcess, logFile: string, pattern: RegExp, startedAt: number, timeoutMs = 60_000): Promise<void> {
  for (;;) {
    if (pattern.test(readFileSync(logFile, 'utf8'))) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw startError(`exited with ${child.exitCode ?? child.signalCode} before it was ready`, logFile);
    }
    if (performance.now() - startedAt > timeoutMs) throw startError(`not ready after ${timeoutMs} ms`, logFile);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function launch(
  command: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    readyUrl: string;
    folder: string;
    /** Also wait for this line (all workers listening); the log file is then `logName` in `folder`. */
    readyLine?: RegExp;
    logName?: string;
    /** Leave the folder in place on stop (another node still uses it). */
    keepFolder?: boolean;
  },
): Promise<{
  child: ChildProcess;
  startToReadyMs: number;
  idleRssBytes: number;
  processes: number;
  logFile: string;
  stop: () => Promise<void>;
}> {
  const logFile = join(options.folder, options.logName ?? 'server.log');
  const log = createWriteStream(logFile);
  const startedAt = performance.now();
  const child = spawn(process.execPath, command, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stop = stopper(child, options.keepFolder ? undefined : options.folder);
  try {
    let startToReadyMs = await waitReady(child, options.readyUrl, startedAt, logFile);
    if (options.readyLine) {
      await waitForLine(child, logFile, options.readyLine, startedAt);
      startToReadyMs = performance.now() - startedAt;
    }
    // Let start-up work that trails readiness (lazy imports, GC) settle before reading idle memory.
    await new Promise((r) => setTimeout(r, 300));
    return { child, startToReadyMs, idleRssBytes: memory(child.pid!).rss, processes: processTree(child.pid!).length, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The short id and label of a Cognate target: `cognate-sqlite`, `cognate-postgres-w2`, `cognate-postgres-2nodes`. */
export function cognateTargetName(database: CognateOptions['database']['kind'], workers = 1, nodes = 1): { id: string; label: string } {
  const engine = database === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const extras = [...(workers > 1 ? [`${workers} workers`] : []), ...(nodes > 1 ? [`${nodes} nodes`] : [])];
  return {
    id: `cognate-${database}${workers > 1 ? `-w${workers}` : ''}${nodes > 1 ? `-${nodes}nodes` : ''}`,
    label: `Cognate (${[engine, ...extras].join(', ')})`,
  };
}

/**
 * Starts Cognate as `node --import tsx src/cli.ts start` (or `node dist/cli.js start`) on a fresh
 * data folder; with `nodes` above 1, that many such processes on their own ports over the same
 * database, sharing the master key and the public URL (the first node's) as behind a load balancer.
 */
export async function startCognate(options: CognateOptions): Promise<Target> {
  const workers = options.workers ?? 1;
  const nodeCount = options.nodes ?? 1;
  const folder = mkdtempSync(join(tmpdir(), 'cognate-bench-'));
  const ports = await Promise.all(Array.from({ length: nodeCount }, () => freePort()));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const shared: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    NODE_ENV: 'production',
    COGNATE_HOST: '127.0.0.1',
    COGNATE_DATA_DIR: folder,
    COGNATE_LOG_LEVEL: 'warn',
    COGNATE_ADMIN_KEYS: 'local:local',
    COGNATE_WORKERS: String(workers),
    ...(nodeCount > 1 ? { COGNATE_MASTER_KEY: randomBytes(32).toString('base64'), COGNATE_PUBLIC_URL: urls[0]! } : {}),
    ...(options.database.kind === 'postgres' ? { COGNATE_DATABASE_URL: options.database.url } : {}),
    // The trigger of the password-trigger path, run where a team's own module handler runs.
    // The hung one is what the password-trigger-beside-hung path runs beside.
    COGNATE_FUNCTIONS: JSON.stringify({
      [BENCH_TRIGGER_FUNCTION]: { module: join(ROOT, 'bench/functions/pre-token-generation.mjs') },
      [BENCH_HUNG_FUNCTION]: { module: join(ROOT, 'bench/functions/hung.mjs') },
    }),
  };
  // BENCH_CPU_PROFILE=<folder> writes a V8 CPU profile of the server under load, to find where time goes.
  const profile = process.env['BENCH_CPU_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROFILE']}`] : [];
  // BENCH_SERVER_ARGS="--flag ..." passes extra Node.js flags to the server (diagnostics such as --import of a probe).
  const extra = process.env['BENCH_SERVER_ARGS']?.split(/\s+/).filter(Boolean) ?? [];
  const cli = options.runner === 'dist' ? [join(ROOT, 'dist/cli.js')] : ['--import', 'tsx', join(ROOT, 'src/cli.ts')];
  const command = [...profile, ...extra, ...cli, 'start'];
  const started: Awaited<ReturnType<typeof launch>>[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((node) => node.stop()));
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    // One after the other: the first node migrates a fresh database, the others find it current.
    for (const [index, port] of ports.entries()) {
      started.push(
        await launch(command, {
          cwd: ROOT,
          env: { ...shared, COGNATE_PORT: String(port) },
          readyUrl: `${urls[index]}/health/ready`,
          folder,
          keepFolder: true,
          logName: `server-${index}.log`,
          ...(workers > 1 ? { readyLine: /workers: +\d+ processes/ } : {}),
        }),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const first = started[0]!;
  const runner = options.runner === 'dist' ? 'node dist/cli.js start' : 'node --import tsx src/cli.ts start';
  const env = [...(workers > 1 ? [`COGNATE_WORKERS=${workers}`] : [])];
  return {
    ...cognateTargetName(options.database.kind, workers, nodeCount),
    kind: 'cognate',
    command: `${[...env, runner].join(' ')}${nodeCount > 1 ? ` (x${nodeCount}, one port each)` : ''}`,
    url: urls[0]!,
    pid: first.child.pid!,
    nodes: started.map((node, index) => ({ url: urls[index]!, pid: node.child.pid! })),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    region: 'us-east-1',
    // The whole target is ready once its last node is; its idle memory is every node's.
    startToReadyMs: started.reduce((sum, node) => sum + node.startToReadyMs, 0),
    idleRssBytes: started.reduce((sum, node) => sum + node.idleRssBytes, 0),
    processes: started.reduce((sum, node) => sum + node.processes, 0),
    logFile: first.logFile,
    cli: (args) => runCli(cli, args, { ...shared, COGNATE_PORT: String(ports[0]) }),
    stop: stopAll,
  };
}

/** Runs the `cognate` command line to its end; its output, or an error with its output. */
function runCli(cli: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...cli, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`cognate ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The gateway paths' upstream (bench/upstream.mjs) on a free loopback port: its URL, and how to stop it. */
export async function startUpstream(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'cognate-bench-upstream-'));
  const url = `http://127.0.0.1:${port}`;
  const started = await launch([join(ROOT, 'bench/upstream.mjs')], {
    cwd: ROOT,
    env: { ...cleanEnv(), PORT: String(port) },
    readyUrl: `${url}/`,
    folder,
  });
  return { url, stop: started.stop };
}

/** cognito-local's installed version, for the report. */
export function cognitoLocalVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules/cognito-local/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Starts cognito-local (npm) the way its README does (`npx cognito-local`), but on a free port and
 * in a temp folder, since it keeps its config and JSON database under `.cognito/` in its cwd.
 */
export async function startCognitoLocal(): Promise<Target> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'cognito-local-bench-'));
  const url = `http://127.0.0.1:${port}`;
  // Its default UserPoolDefaults make every pool email-as-username; Cognito's default (and
  // Cognate's) is plain usernames, which the seeded users need.
  mkdirSync(join(folder, '.cognito'));
  writeFileSync(join(folder, '.cognito/config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const env: NodeJS.ProcessEnv = { ...cleanEnv(), NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' };
  const started = await launch([join(ROOT, 'node_modules/cognito-local/lib/bin/start.js')], {
    cwd: folder,
    env,
    readyUrl: `${url}/health`,
    folder,
  });
  return {
    id: 'cognito-local',
    kind: 'cognito-local',
    label: `cognito-local ${cognitoLocalVersion()}`,
    command: 'cognito-local (node_modules/cognito-local/lib/bin/start.js)',
    url,
    pid: started.child.pid!,
    nodes: [{ url, pid: started.child.pid! }],
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    region: 'us-east-1',
    startToReadyMs: started.startToReadyMs,
    idleRssBytes: started.idleRssBytes,
    processes: started.processes,
    logFile: started.logFile,
    stop: started.stop,
  };
}
