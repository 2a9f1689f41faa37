import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memory } from './process-stats.js';

/** The repository root (bench/ lives directly under it). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

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
  pid: number;
  /** SigV4 key pair for admin operations (cognito-local accepts anything). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** From spawn until the readiness URL first answered 200. */
  startToReadyMs: number;
  /** Resident set size shortly after readiness, before any request. */
  idleRssBytes: number;
  /** Where the process's stdout and stderr go, for when something fails. */
  logFile: string;
  stop(): Promise<void>;
}

export interface CognateOptions {
  /** `sqlite` uses a file in a temp folder; `postgres` needs the URL. */
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string };
  /** `tsx` runs src/cli.ts through tsx (no build needed); `dist` runs the compiled dist/cli.js. */
  runner: 'tsx' | 'dist';
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

function stopper(child: ChildProcess, folder: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
}

async function launch(
  command: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; readyUrl: string; folder: string },
): Promise<{ child: ChildProcess; startToReadyMs: number; idleRssBytes: number; logFile: string; stop: () => Promise<void> }> {
  const logFile = join(options.folder, 'server.log');
  const log = createWriteStream(logFile);
  const startedAt = performance.now();
  const child = spawn(process.execPath, command, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stop = stopper(child, options.folder);
  try {
    const startToReadyMs = await waitReady(child, options.readyUrl, startedAt, logFile);
    // Let start-up work that trails readiness (lazy imports, GC) settle before reading idle memory.
    await new Promise((r) => setTimeout(r, 300));
    return { child, startToReadyMs, idleRssBytes: memory(child.pid!).rss, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts Cognate as `node --import tsx src/cli.ts start` (or `node dist/cli.js start`) on a fresh data folder. */
export async function startCognate(options: CognateOptions): Promise<Target> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'cognate-bench-'));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    NODE_ENV: 'production',
    COGNATE_HOST: '127.0.0.1',
    COGNATE_PORT: String(port),
    COGNATE_DATA_DIR: folder,
    COGNATE_LOG_LEVEL: 'warn',
    COGNATE_ADMIN_KEYS: 'local:local',
    ...(options.database.kind === 'postgres' ? { COGNATE_DATABASE_URL: options.database.url } : {}),
  };
  // BENCH_CPU_PROFILE=<folder> writes a V8 CPU profile of the server under load, to find where time goes.
  const profile = process.env['BENCH_CPU_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROFILE']}`] : [];
  const command = [
    ...profile,
    ...(options.runner === 'dist' ? [join(ROOT, 'dist/cli.js'), 'start'] : ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'start']),
  ];
  const started = await launch(command, { cwd: ROOT, env, readyUrl: `${url}/health/ready`, folder });
  return {
    id: `cognate-${options.database.kind}`,
    kind: 'cognate',
    label: `Cognate (${options.database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`,
    command: options.runner === 'dist' ? 'node dist/cli.js start' : 'node --import tsx src/cli.ts start',
    url,
    pid: started.child.pid!,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    region: 'us-east-1',
    startToReadyMs: started.startToReadyMs,
    idleRssBytes: started.idleRssBytes,
    logFile: started.logFile,
    stop: started.stop,
  };
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
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    region: 'us-east-1',
    startToReadyMs: started.startToReadyMs,
    idleRssBytes: started.idleRssBytes,
    logFile: started.logFile,
    stop: started.stop,
  };
}
