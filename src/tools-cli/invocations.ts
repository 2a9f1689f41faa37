import type { Config } from '../config/schema.js';
import type { TriggerInvocation } from '../store/ports.js';
import { boot } from '../bootstrap.js';
import { functionNameOf } from '../triggers/invoke.js';
import { UsageError, flag, option } from './args.js';

export const INVOCATIONS_USAGE = `Usage: cognate invocations --pool <poolId> [--json]

Prints the pool's last trigger invocations, newest first (COGNATE_INVOCATION_LOG_SIZE of them):
when, the trigger source, the function and where it ran, how long it took, and the outcome, with
the handler's error message or why it could not run, and what a module handler printed. Events and
answers are never recorded. --json prints the records as JSON.
`;

/** One invocation as a line a developer reads, with the handler's output indented below it. */
function describe(invocation: TriggerInvocation): string {
  const when = new Date(invocation.at).toISOString();
  const source = invocation.triggerSource ?? '-';
  const what = `${functionNameOf(invocation.functionArn)} (${invocation.mode})`;
  const outcome = invocation.detail === null ? invocation.outcome : `${invocation.outcome}: ${invocation.detail}`;
  const printed = (invocation.logs ?? '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `    | ${line}\n`)
    .join('');
  return `${when}  ${source}  ${what}  ${invocation.durationMs} ms  ${outcome}\n${printed}`;
}

/** The `cognate invocations` command. */
export async function runInvocations(
  args: readonly string[],
  config: Config,
  print: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<void> {
  const poolId = option(args, '--pool');
  if (!poolId) throw new UsageError('--pool is required', INVOCATIONS_USAGE);
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    const { store, invocations } = booted.services;
    if (!(await store.pools.get(poolId))) throw new Error(`user pool ${poolId} does not exist`);
    const listed = await invocations.list(poolId);
    if (flag(args, '--json')) print(JSON.stringify(listed, null, 2) + '\n');
    else if (listed.length === 0) print(`no trigger invocations recorded for ${poolId}\n`);
    else print(listed.map(describe).join(''));
  } finally {
    await booted.close();
  }
}
