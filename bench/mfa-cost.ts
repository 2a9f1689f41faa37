/**
 * `npx tsx bench/mfa-cost.ts [--signins 200] [--concurrency 1] [--only password|mfa] [--postgres URL]`:
 * the server CPU one password sign-in costs, against one password + SOFTWARE_TOKEN_MFA sign-in
 * (InitiateAuth, then RespondToAuthChallenge with a TOTP code), each call of the MFA sign-in counted
 * on its own. `--concurrency N` keeps N calls of a batch in flight, as the load runs do: a server
 * under load spends less per request on waking up for it than one answering a single caller.
 * The server runs as a child process (bench/targets.ts) and its CPU is read from /proc/<pid>/stat,
 * which counts every thread (the libuv pool's argon2 hashes included), before and after each batch
 * of calls. Unlike the load runs' CPU per sign-in, a difference of two noisy figures from a machine
 * the load generator shares, this is the cost itself: the calls go a few at a time at most, and a
 * busy machine stretches the wall time, not the CPU a call takes.
 *
 * Every MFA user answers once per 30-second TOTP step (a code is taken once), so the script seeds
 * one MFA user per MFA sign-in and, if it runs out, waits for the next step.
 *
 * BENCH_CPU_PROFILE=<folder> writes the server's V8 CPU profile there when it stops; with
 * `--only mfa` the profile holds the MFA sign-ins and little else (the seeding shows too: find the
 * answer under RespondToAuthChallenge's handler).
 */
import { parseArgs } from 'node:util';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { inFlight } from './load.js';
import { createBenchSchema } from './postgres.js';
import { cpuSeconds } from './process-stats.js';
import { PASSWORD, sdkClient, seedMfaPool, seedUsers } from './seed.js';
import { startCognate, type Target } from './targets.js';
import type { TotpTurn } from './totp-rotation.js';
import { awsJsonRequest, describeFailure, send } from './wire.js';

const { values: args } = parseArgs({
  options: {
    signins: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1' },
    only: { type: 'string' },
    postgres: { type: 'string' },
  },
});
const signins = Number(args.signins);
const concurrency = Number(args.concurrency);
if (
  !Number.isInteger(signins) ||
  signins < 1 ||
  !Number.isInteger(concurrency) ||
  concurrency < 1 ||
  (args.only !== undefined && args.only !== 'password' && args.only !== 'mfa')
) {
  console.error('usage: npx tsx bench/mfa-cost.ts [--signins N] [--concurrency N] [--only password|mfa] [--postgres URL]');
  process.exit(2);
}
const runPassword = args.only !== 'mfa';
const runMfa = args.only !== 'password';
/** Calls in a batch between two CPU readings: /proc counts in 10 ms ticks, so a batch spans many. */
const BATCH = 50;
/** Calls before measuring: the JIT settles, the first-use caches fill. */
const WARM_UP = 20;

/** One awsJson1_1 call that must answer 200; its parsed body. */
async function call(target: Target, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const { status, body } = await send(target.url, awsJsonRequest(new URL(target.url).host, operation, input));
  if (status !== 200) throw new Error(`${operation}: ${describeFailure(status, body)}`);
  return JSON.parse(body) as Record<string, unknown>;
}

/** Server CPU milliseconds `work` takes (all the server's threads). */
async function serverCpuMs(target: Target, work: () => Promise<void>): Promise<number> {
  const before = cpuSeconds(target.pid);
  await work();
  return (cpuSeconds(target.pid) - before) * 1000;
}

async function passwordPool(target: Target, users: number): Promise<{ clientId: string; names: string[] }> {
  const sdk = sdkClient(target);
  try {
    const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: `mfa-cost-password-${Date.now()}` }));
    const poolId = pool.UserPool!.Id!;
    const client = await sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mfa-cost', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    return { clientId: client.UserPoolClient!.ClientId!, names: await seedUsers(sdk, poolId, users) };
  } finally {
    sdk.destroy();
  }
}

function signInBody(clientId: string, username: string): unknown {
  return { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } };
}

/** Password sign-ins on a pool without MFA: `count` of them, and the server CPU they took. */
async function passwordSignIns(target: Target): Promise<(count: number) => Promise<number>> {
  const { clientId, names } = await passwordPool(target, 10);
  let n = 0;
  return (count) =>
    serverCpuMs(target, () =>
      inFlight(count, concurrency, async () => {
        const answer = await call(target, 'InitiateAuth', signInBody(clientId, names[n++ % names.length]!));
        if (!answer['AuthenticationResult']) throw new Error(`password sign-in: no tokens (${String(answer['ChallengeName'])})`);
      }),
    );
}

/** Password + TOTP sign-ins: `count` of them, and the server CPU their InitiateAuth calls and their answers took. */
async function mfaSignIns(target: Target): Promise<(count: number) => Promise<{ initiate: number; answer: number }>> {
  const sdk = sdkClient(target);
  const { clientId, rotation } = await seedMfaPool(sdk, Math.min(signins + WARM_UP, 400)).finally(() => sdk.destroy());
  /** The next turn, waiting for the next TOTP step when every user has spent its code. */
  const nextTurn = async (): Promise<TotpTurn> => {
    for (let waited = 0; waited < 40; waited++) {
      const turn = rotation.take();
      if (turn) return turn;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error('no MFA user could answer a code within 40 s');
  };
  // First every InitiateAuth of the batch, then every answer, so each call is measured apart.
  return async (count) => {
    const turns = await Promise.all(Array.from({ length: count }, nextTurn));
    const sessions: string[] = [];
    const initiate = await serverCpuMs(target, () =>
      inFlight(turns.length, concurrency, async (i) => {
        const answer = await call(target, 'InitiateAuth', signInBody(clientId, turns[i]!.username));
        if (answer['ChallengeName'] !== 'SOFTWARE_TOKEN_MFA')
          throw new Error(`expected SOFTWARE_TOKEN_MFA, got ${String(answer['ChallengeName'])}`);
        sessions[i] = answer['Session'] as string;
      }),
    );
    const answer = await serverCpuMs(target, () =>
      inFlight(turns.length, concurrency, async (i) => {
        const turn = turns[i]!;
        const result = await call(target, 'RespondToAuthChallenge', {
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          ClientId: clientId,
          Session: sessions[i],
          ChallengeResponses: { USERNAME: turn.username, SOFTWARE_TOKEN_MFA_CODE: rotation.code(turn) },
        });
        rotation.release(turn);
        if (!result['AuthenticationResult']) throw new Error('the MFA answer returned no tokens');
      }),
    );
    return { initiate, answer };
  };
}

// A schema of its own on PostgreSQL, dropped at the end: each run's server has a new master key.
const schema = args.postgres ? await createBenchSchema(args.postgres) : undefined;
const target = await startCognate({
  database: schema ? { kind: 'postgres', url: schema.url } : { kind: 'sqlite' },
  runner: 'tsx',
});
try {
  const password = runPassword ? await passwordSignIns(target) : undefined;
  const mfa = runMfa ? await mfaSignIns(target) : undefined;
  await password?.(WARM_UP);
  await mfa?.(WARM_UP);
  // The paths take turns, a batch each, so both see the same machine: a load that comes and goes
  // (other work on a shared host) moves both figures alike instead of one.
  const total = { password: 0, initiate: 0, answer: 0 };
  for (let done = 0; done < signins; done += BATCH) {
    const count = Math.min(BATCH, signins - done);
    if (password) total.password += await password(count);
    if (mfa) {
      const { initiate, answer } = await mfa(count);
      total.initiate += initiate;
      total.answer += answer;
    }
  }
  const per = (ms: number): string => `${(ms / signins).toFixed(2)} ms`;
  console.log(
    `${target.label}, ${signins} sign-ins per path, ${concurrency === 1 ? 'one at a time' : `${concurrency} in flight`}, ` +
      `batches of ${BATCH} in turn; server CPU (all threads) per sign-in:`,
  );
  if (password) console.log(`  password:           ${per(total.password)}`);
  if (mfa) {
    const whole = total.initiate + total.answer;
    console.log(
      `  password + TOTP:    ${per(whole)} (InitiateAuth ${per(total.initiate)}, SOFTWARE_TOKEN_MFA answer ${per(total.answer)})`,
    );
    if (password) {
      const added = whole - total.password;
      console.log(`  added by TOTP:      ${per(added)} (${((added / total.password) * 100).toFixed(1)}%)`);
    }
  }
} finally {
  await target.stop();
  await schema?.drop();
}
