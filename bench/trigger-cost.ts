/**
 * `npx tsx bench/trigger-cost.ts [--invocations 4000] [--concurrency 1,16]`: the CPU one module
 * trigger invocation costs, measured in one process with process.cpuUsage(), which counts every
 * thread (the handler's worker thread included). Unlike the load runs' CPU per sign-in, a
 * difference of two noisy figures from a machine the load generator shares, this is the cost
 * itself and barely moves with what else the machine is doing: a busy machine stretches the wall
 * time, not the CPU an invocation takes.
 *
 * It invokes the benchmark's pre token generation handler (bench/functions/pre-token-generation.mjs)
 * through the same invoker the server uses, with the event a sign-in sends it.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FunctionTarget } from '../src/config/schema.js';
import { createFunctionInvoker } from '../src/triggers/invoke.js';
import { inFlight } from './load.js';
import { ROOT } from './targets.js';

const { values: args } = parseArgs({
  options: {
    invocations: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '1,16' },
  },
});
const invocations = Number(args.invocations);
const levels = args.concurrency.split(',').map(Number);
if (!Number.isInteger(invocations) || invocations < 1 || levels.some((c) => !Number.isInteger(c) || c < 1)) {
  console.error('usage: npx tsx bench/trigger-cost.ts [--invocations N] [--concurrency 1,16]');
  process.exit(2);
}

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:pre-token-generation';
const target: FunctionTarget = { kind: 'module', file: join(ROOT, 'bench/functions/pre-token-generation.mjs'), exportName: 'handler' };
const invoker = createFunctionInvoker({ functions: new Map([[ARN, target]]) });

/** A V1 pre token generation event as a password sign-in builds it. */
const event = {
  version: '1',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'us-east-1',
  userPoolId: 'us-east-1_bench',
  userName: 'bench-user-1',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'benchclient' },
  request: {
    userAttributes: { sub: '6b1f0c1e-2f4d-4c55-9a0e-0d6f3c1a2b3c', email: 'bench-user-1@example.com', email_verified: 'true' },
    groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
  },
  response: { claimsOverrideDetails: null },
};

async function measure(concurrency: number): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await inFlight(invocations, concurrency, async () => {
    const outcome = await invoker.invoke(ARN, event);
    if (outcome.kind !== 'ok') throw new Error(`the handler did not answer: ${JSON.stringify(outcome)}`);
  });
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / invocations, wallMs: (performance.now() - wall) / invocations };
}

// Warm up: the threads start, the handler module loads, the JIT settles.
for (let i = 0; i < 200; i++) await invoker.invoke(ARN, event);
console.log(`Module trigger invocation, ${invocations} invocations per level (bench/functions/pre-token-generation.mjs):`);
for (const concurrency of levels) {
  const { cpuMs, wallMs } = await measure(concurrency);
  console.log(
    `  concurrency ${String(concurrency).padStart(3)}: ${cpuMs.toFixed(3)} ms CPU per invocation (all threads), ${wallMs.toFixed(3)} ms wall`,
  );
}
await invoker.close();
