import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { sdkClient } from '../support/server.js';
import { waitUntil } from '../support/wait.js';
import { START_DEADLINE_MS } from '../support/cli.js';
import { loadConfig, ConfigError } from '../../src/config/load.js';
import { HELPER_THREAD_NICE } from '../../src/lib/thread-priority.js';

/**
 * `cognate start` with COGNATE_WORKERS=2, as an operator runs it: one supervisor, two worker
 * processes sharing the port over one SQLite file. Which worker served a connection is read from
 * the kernel (the process holding the accepted socket), so the server needs no test-only hook.
 */

const PASSWORD = 'Workers-Pass-1';

interface Running {
  child: ChildProcess;
  url: string;
  port: number;
  stdout: () => string;
  /** How the supervisor ended; fails (and kills it) if it has not ended within `timeoutMs`. */
  ended(what: string, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let dataDir: string;
let server: Running;

function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

async function startCluster(): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: {
      ...withoutCognateVariables(process.env),
      COGNATE_WORKERS: '2',
      COGNATE_PORT: '0',
      COGNATE_DATA_DIR: dataDir,
      COGNATE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const hasEnded = (): boolean => child.exitCode !== null || child.signalCode !== null;
  /** `check`'s value once it has one; past `timeoutMs`, kills the supervisor (nothing is left running) and fails. */
  const within = async <T>(check: () => T | undefined | false, what: string, timeoutMs: number): Promise<T> => {
    try {
      return await waitUntil(check, () => `${what}:\n${out}\n${err}`, { timeoutMs });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  };
  const ended = (what: string, timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
    within(() => hasEnded() && { code: child.exitCode, signal: child.signalCode }, what, timeoutMs);
  // The supervisor prints the banner once, after every worker listens.
  const url = await within(
    () => {
      if (hasEnded()) throw new Error(`exited (${child.signalCode ?? child.exitCode}) before listening:\n${out}\n${err}`);
      return /listening on (http:\/\/[^\s]+)[\s\S]*workers: +2 processes/.exec(out)?.[1];
    },
    'the cluster never said it was listening',
    START_DEADLINE_MS,
  );
  return { child, url, port: Number(new URL(url).port), stdout: () => out, ended };
}

/** The supervisor's children: its worker processes. */
function workerPids(supervisor: number): number[] {
  return readdirSync(`/proc/${supervisor}/task`).flatMap((task) =>
    readFileSync(`/proc/${supervisor}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process holding the server side of the loopback connection from `clientPort` to `serverPort`. */
function connectionOwner(serverPort: number, clientPort: number, candidates: number[]): number | undefined {
  const hex = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]!.endsWith(`:${hex(serverPort)}`) && fields[2]!.endsWith(`:${hex(clientPort)}`)) inodes.add(fields[9]!);
    }
  }
  return candidates.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    }),
  );
}

/** One Cognito JSON call on the given agent's connection; also says which local port it used. */
function call(
  agent: Agent,
  operation: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown>; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown>, localPort: req.socket!.localPort! }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cognate-workers-'));
  server = await startCluster();
});

after(async () => {
  // Unset when the cluster did not start.
  const running = server as Running | undefined;
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
    await running.ended('the supervisor outlived SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('COGNATE_WORKERS takes a count or auto, and nothing else', () => {
  assert.equal(loadConfig({}).workers, 1);
  assert.equal(loadConfig({ COGNATE_WORKERS: '3' }).workers, 3);
  assert.ok(loadConfig({ COGNATE_WORKERS: 'auto' }).workers >= 1);
  for (const bad of ['0', '-1', '1.5', 'many', '65']) {
    assert.throws(
      () => loadConfig({ COGNATE_WORKERS: bad }),
      (e: unknown) => e instanceof ConfigError && e.message === 'COGNATE_WORKERS: expected auto or an integer from 1 to 64',
    );
  }
});

test('two workers serve one port: a user signed up through one signs in through both', async () => {
  const workers = workerPids(server.child.pid!);
  assert.equal(workers.length, 2);
  assert.equal((server.stdout().match(/Cognate is listening on/g) ?? []).length, 1, 'the banner is printed once');

  const admin = sdkClient(server.url, 'local', 'local');
  const pool = await admin.send(new CreateUserPoolCommand({ PoolName: 'workers' }));
  const poolId = pool.UserPool!.Id!;
  const client = await admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  await admin.send(new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: PASSWORD }));
  await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'alice' }));
  admin.destroy();

  // New connections are dealt to the workers in turn; each signs in and reads the user with the
  // access token the previous connection (often the other worker) was given.
  const servedBy = new Set<number>();
  let previousToken: string | undefined;
  for (let i = 0; i < 8; i++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const signIn = await call(agent, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD },
      });
      assert.equal(signIn.status, 200, JSON.stringify(signIn.json));
      const owner = connectionOwner(server.port, signIn.localPort, workers);
      assert.ok(owner !== undefined, 'a worker holds the connection');
      servedBy.add(owner);
      if (previousToken) {
        const user = await call(agent, 'GetUser', { AccessToken: previousToken });
        assert.equal(user.status, 200, JSON.stringify(user.json));
        assert.equal(user.json['Username'], 'alice');
      }
      previousToken = (signIn.json['AuthenticationResult'] as { AccessToken: string }).AccessToken;
    } finally {
      agent.destroy();
    }
  }
  assert.deepEqual([...servedBy].sort(), [...workers].sort());
});

/** Refreshes over `times` new connections; returns each access token's lifetime and the worker that issued it. */
async function refreshes(
  clientId: string,
  refreshToken: string,
  times: number,
  workers: number[],
): Promise<{ lifetime: number; worker: number | undefined }[]> {
  const results = [];
  for (let i = 0; i < times; i++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refreshed = await call(agent, 'InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json));
      const token = (refreshed.json['AuthenticationResult'] as { AccessToken: string }).AccessToken;
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
      results.push({ lifetime: claims.exp - claims.iat, worker: connectionOwner(server.port, refreshed.localPort, workers) });
    } finally {
      agent.destroy();
    }
  }
  return results;
}

test('an app client changed through one worker is changed at once on both', async () => {
  // A worker reuses the clients it read while the database is unchanged, and a refresh writes
  // nothing: the other worker's commit alone must end that reuse before the next request.
  const workers = workerPids(server.child.pid!);
  const admin = sdkClient(server.url, 'local', 'local');
  const pool = await admin.send(new CreateUserPoolCommand({ PoolName: 'workers-change' }));
  const poolId = pool.UserPool!.Id!;
  const flows: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
  const client = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: flows }));
  const clientId = client.UserPoolClient!.ClientId!;
  await admin.send(new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: PASSWORD }));
  await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'alice' }));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const signIn = await call(agent, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: 'alice', PASSWORD },
  });
  agent.destroy();
  const refreshToken = (signIn.json['AuthenticationResult'] as { RefreshToken: string }).RefreshToken;

  const before = await refreshes(clientId, refreshToken, 4, workers);
  assert.deepEqual(new Set(before.map((r) => r.worker)), new Set(workers), 'both workers have read the client');
  assert.deepEqual(
    before.map((r) => r.lifetime),
    [3600, 3600, 3600, 3600],
  );

  await admin.send(
    new UpdateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ExplicitAuthFlows: flows,
      AccessTokenValidity: 5,
      TokenValidityUnits: { AccessToken: 'minutes' },
    }),
  );
  admin.destroy();
  const after = await refreshes(clientId, refreshToken, 4, workers);
  assert.deepEqual(new Set(after.map((r) => r.worker)), new Set(workers), 'both workers answered');
  assert.deepEqual(
    after.map((r) => r.lifetime),
    [300, 300, 300, 300],
  );
});

/** One GET on the given agent's connection; also says which local port it used. */
function get(agent: Agent, path: string): Promise<{ status: number; text: string; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { agent }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, localPort: req.socket!.localPort! }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a scrape of /metrics through either worker counts the requests both workers answered', async () => {
  const workers = workerPids(server.child.pid!);
  /** The node's count of answered health checks, and the worker whose connection the scrape used. */
  const scrape = async (): Promise<{ count: number; worker: number | undefined }> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await get(agent, '/metrics');
      assert.equal(answer.status, 200, answer.text);
      const line = /^cognate_requests_total\{operation="GET \/health\/live",status="200",error=""\} (\d+)$/m.exec(answer.text);
      return { count: Number(line?.[1] ?? 0), worker: connectionOwner(server.port, answer.localPort, workers) };
    } finally {
      agent.destroy();
    }
  };
  const base = (await scrape()).count;
  const checkedBy = new Set<number | undefined>();
  for (let i = 0; i < 6; i++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await get(agent, '/health/live');
      assert.equal(answer.status, 200);
      checkedBy.add(connectionOwner(server.port, answer.localPort, workers));
    } finally {
      agent.destroy();
    }
  }
  assert.deepEqual(new Set(checkedBy), new Set(workers), 'both workers answered health checks');
  const scrapes = [await scrape(), await scrape(), await scrape(), await scrape()];
  assert.deepEqual(new Set(scrapes.map((s) => s.worker)), new Set(workers), 'both workers answered a scrape');
  assert.deepEqual(
    scrapes.map((s) => s.count),
    [base + 6, base + 6, base + 6, base + 6],
  );
});

/** Each thread of `pid` and its nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(pid: number): Map<number, number> {
  return new Map(
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The command name in parentheses may hold spaces: count fields from after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(tid), Number(fields[16])];
    }),
  );
}

test('each worker runs its event loop ahead of its hashing and signing threads', async () => {
  // The sign-ins above ran argon2id and RS256 on the workers' libuv pools, so the pool threads exist.
  for (const pid of workerPids(server.child.pid!)) {
    const nice = threadNiceValues(pid);
    assert.equal(nice.get(pid), 0, 'the event loop keeps its priority');
    const helpers = [...nice].filter(([tid]) => tid !== pid);
    assert.ok(helpers.length >= 4, `worker ${pid} has its pool threads (${helpers.length})`);
    assert.deepEqual(
      helpers.filter(([, value]) => value !== HELPER_THREAD_NICE),
      [],
      'every other thread is at the helper priority',
    );
  }
});

test('a worker that dies is replaced; SIGTERM stops the supervisor and every worker', async () => {
  const [victim, survivor] = workerPids(server.child.pid!);
  process.kill(victim!, 'SIGKILL');
  const workers = await waitUntil(() => {
    const now = workerPids(server.child.pid!);
    return now.length === 2 && !now.includes(victim!) ? now : undefined;
  }, `the supervisor never replaced worker ${victim}`);
  assert.ok(workers.includes(survivor!));
  // The replacement serves: wait until it answers on a connection of its own.
  const replacement = workers.find((pid) => pid !== survivor)!;
  await waitUntil(
    async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const live = await call(agent, 'GetUser', { AccessToken: 'not-a-token' });
        return connectionOwner(server.port, live.localPort, [replacement]) === replacement;
      } finally {
        agent.destroy();
      }
    },
    `the replacement worker ${replacement} never answered a connection`,
    // A replacement worker starts as the first ones did, compiling the server first.
    { intervalMs: 0, timeoutMs: START_DEADLINE_MS },
  );

  server.child.kill('SIGTERM');
  assert.deepEqual(await server.ended('the supervisor did not stop on SIGTERM'), { code: 0, signal: null });
  for (const pid of workers) assert.equal(alive(pid), false, `worker ${pid} stopped`);
});
