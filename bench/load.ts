import autocannon from 'autocannon';
import type { Outcome } from './seed.js';
import type { Prepared } from './paths.js';
import { memory, resetPeakRss, startCpuMeter } from './process-stats.js';
import { describeFailure, send } from './wire.js';

/**
 * Drives one prepared path against one server with autocannon (keep-alive connections, one request
 * in flight per connection), and samples the server process's CPU and peak memory over the run.
 */

export interface Measurement {
  concurrency: number;
  durationSec: number;
  /** Completed operations (all calls answered 2xx) per second. */
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  firstError?: string;
  /** Server CPU over the run, as a percentage of one core (200 = both cores of a 2-core machine). */
  cpuPercent: number;
  /** The load generator's own CPU (this process), same unit: it shares the machine with the server. */
  clientCpuPercent: number;
  /** Server peak RSS during the run (or since start, when the kernel would not reset the peak). */
  peakRssBytes: number;
  peakSinceStart: boolean;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Sends one operation (all its calls, in order) outside the load generator, so a path that does not
 * work on a target is reported with the server's own error instead of a run full of failures.
 */
export async function probe(prepared: Prepared): Promise<Outcome<Prepared>> {
  const context: Record<string, unknown> = {};
  for (const request of prepared.requests) {
    const built = request.setupRequest ? request.setupRequest({ ...request }, context) : request;
    if (!built) return { ok: false, reason: 'the previous call gave no usable answer', notImplemented: false };
    const { status, body } = await send(prepared.url, built);
    request.onResponse?.(status, body, context, {});
    if (status >= 300) {
      const reason = describeFailure(status, body);
      const notImplemented = status === 404 || /UnsupportedOperation|Unsupported|unsupported_grant_type|not implement/i.test(reason);
      return { ok: false, reason, notImplemented };
    }
  }
  prepared.recorder.reset();
  return { ok: true, value: prepared };
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function measure(
  pid: number,
  prepared: Prepared,
  concurrency: number,
  durationSec: number,
  warmupSec = 0,
): Promise<Measurement> {
  if (warmupSec > 0)
    await run({ url: prepared.url, connections: concurrency, duration: warmupSec, requests: prepared.requests, timeout: 30 });
  prepared.recorder.reset();
  const peakReset = resetPeakRss(pid);
  const cpu = startCpuMeter(pid);
  const client0 = process.cpuUsage();
  const wall0 = performance.now();
  const result = await run({
    url: prepared.url,
    connections: concurrency,
    duration: durationSec,
    requests: prepared.requests,
    timeout: 30,
  });
  const cpuPercent = cpu.stop();
  const client = process.cpuUsage(client0);
  const clientCpuPercent = ((client.user + client.system) / 1000 / (performance.now() - wall0)) * 100;
  const { peak } = memory(pid);
  const latencies = prepared.recorder.latenciesMs.sort((a, b) => a - b);
  return {
    concurrency,
    durationSec: result.duration,
    opsPerSec: prepared.recorder.count / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors: result.non2xx + result.errors + result.timeouts,
    ...(prepared.recorder.firstFailure ? { firstError: prepared.recorder.firstFailure } : {}),
    cpuPercent,
    clientCpuPercent,
    peakRssBytes: peak,
    peakSinceStart: !peakReset,
  };
}
