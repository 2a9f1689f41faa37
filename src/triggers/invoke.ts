import type { FunctionTarget } from '../config/schema.js';
import type { InvocationSink } from './invocation-log.js';
import type { InvokeOutcome, RunResult } from './outcome.js';
import { ModuleFunctionPool } from './invokers/module.js';
import { invokeLambdaEndpoint } from './invokers/lambda-endpoint.js';
import { invokeUrl } from './invokers/url.js';

/** Cognito's limit on a synchronous trigger. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Per call: the time limit, and the pool and trigger source the invocation log files it under. */
export interface InvokeOptions {
  timeoutMs?: number;
  poolId?: string;
  triggerSource?: string;
}

/** The trigger port: runs the function an ARN names, wherever the `functions` setting puts it. */
export interface FunctionInvoker {
  invoke(functionArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
  close(): Promise<void>;
}

/** The function name of an ARN (`...:function:<name>[:qualifier]`), or the text itself when it is a name. */
export function functionNameOf(functionArn: string): string {
  const match = /:function:([^:]+)/.exec(functionArn);
  return match?.[1] ?? functionArn;
}

/** The setting's entry for an ARN: the full ARN first, then its function name. */
export function resolveFunction(functions: ReadonlyMap<string, FunctionTarget>, functionArn: string): FunctionTarget | undefined {
  return functions.get(functionArn) ?? functions.get(functionNameOf(functionArn));
}

/** Builds the invoker over the `functions` setting; module threads start on first use. */
export function createFunctionInvoker(options: {
  functions: ReadonlyMap<string, FunctionTarget>;
  log?: InvocationSink;
  /** The time invocations are recorded at (the server's clock). */
  now?: () => number;
  /** Threads per module function (each function has its own, as each Lambda function has its own environments). */
  modulePoolSize?: number;
  /** The region signed for when a `lambdaEndpoint` function is named without an ARN. */
  region?: string;
}): FunctionInvoker {
  // One pool per handler, so a hung or slow function queues only its own calls: the others keep
  // their threads, as Lambda keeps each function's concurrency apart.
  const modules = new Map<string, ModuleFunctionPool>();
  const run = (target: FunctionTarget | undefined, functionArn: string, event: unknown, timeoutMs: number): Promise<RunResult> => {
    if (target === undefined) return Promise.resolve({ kind: 'failed', reason: `no entry in functions for ${functionArn}` });
    if (target.kind === 'url') return invokeUrl(target.url, event, timeoutMs);
    if (target.kind === 'lambdaEndpoint')
      return invokeLambdaEndpoint(target.endpoint, functionArn, event, timeoutMs, process.env, options.region);
    const { file, exportName } = target;
    const key = `${file}#${exportName}`;
    let pool = modules.get(key);
    if (!pool) modules.set(key, (pool = new ModuleFunctionPool(options.modulePoolSize)));
    return pool.run({ file, exportName, functionName: functionNameOf(functionArn), functionArn, event, timeoutMs });
  };
  return {
    async invoke(functionArn, event, { timeoutMs = DEFAULT_TIMEOUT_MS, poolId, triggerSource } = {}) {
      const target = resolveFunction(options.functions, functionArn);
      const started = performance.now();
      const { logs, ...outcome } = await run(target, functionArn, event, timeoutMs);
      if (options.log && poolId !== undefined) {
        options.log.add(poolId, {
          at: (options.now ?? Date.now)(),
          functionArn,
          triggerSource: triggerSource ?? null,
          mode: target?.kind ?? 'none',
          durationMs: Math.round(performance.now() - started),
          outcome: outcome.kind,
          detail: outcome.kind === 'handler-error' ? outcome.message : 'reason' in outcome ? outcome.reason : null,
          logs: logs ?? null,
        });
      }
      return outcome as InvokeOutcome;
    },
    async close() {
      const pools = [...modules.values()];
      modules.clear();
      await Promise.all(pools.map((pool) => pool.close()));
    },
  };
}
