import autocannon from 'autocannon';
import type { Outcome } from './seed.js';
import type { Prepared } from './paths.js';
import { memory, resetPeakRss, selfAndReapedChildrenCpuSeconds, startCpuMeter } from './process-stats.js';
import { describeFailure, send } from './wire.js';
import { startWrk, wrkAvailable, type WrkResult } from './wrk.js';

/**
 * Drives one prepared path against one server (keep-alive connections, one request in flight per
 * connection), and samples the server process's CPU and peak memory over the run. A fixed request
 * goes through wrk when it is installed (bench/wrk.ts); everything else through autocannon.
 */

export type LoadGenerator = 'wrk' | 'autocannon';

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
  /**
   * The server processes' main threads (event loops) over the run, same unit, summed over
   * processes: near 100% per process means the event loop is what limits the path.
   */
  mainThreadCpuPercent?: number;
  /** The load generator's own CPU (this process and its wrk), same unit: it shares the machine with the server. */
  clientCpuPercent: number;
  loadGenerator: LoadGenerator;
  /** Server peak RSS during the run (or since start, when the kernel would not reset the peak). */
  peakRssBytes: number;
  peakSinceStart: boolean;
}

/** Runs `work(0)` to `work(count - 1)` in order of start, at most `concurrency` of them in flight at a time. */
export async function inFlight(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
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

/** A response as autocannon reports it: status and time from sending the request to its last byte. */
type ResponseListener = (client: unknown, status: number, bytes: number, responseTimeMs: number) => void;

function run(options: autocannon.Options, onResponse?: ResponseListener): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

/** Feeds a fixed request's recorder (see Prepared.fixed): each 2xx response is one operation. */
function recordResponses(prepared: Prepared): ResponseListener | undefined {
  if (!prepared.fixed) return undefined;
  const recorder = prepared.recorder;
  return (_client, status, _bytes, responseTimeMs) => {
    if (status >= 300) {
      recorder.firstFailure ??= `HTTP ${status}`;
      return;
    }
    recorder.count++;
    recorder.latenciesMs.push(responseTimeMs);
  };
}

/**
 * The load generator for a run: wrk when every part is a fixed request and wrk is installed, unless
 * BENCH_LOAD_GENERATOR=autocannon asks for autocannon everywhere (to compare the two).
 */
export function loadGeneratorFor(prepared: readonly Prepared[]): LoadGenerator {
  if (process.env['BENCH_LOAD_GENERATOR'] === 'autocannon') return 'autocannon';
  return prepared.every((p) => p.fixed) && wrkAvailable() ? 'wrk' : 'autocannon';
}

/** What one part of a run (one node's share of the connections) reports, whichever generator. */
interface PartResult {
  durationSec: number;
  /** Failed answers, connection errors and timeouts. */
  errors: number;
}

/**
 * wrk's totals into the part's recorder: each answer below 400 is one operation, and the latency
 * distribution (1,000 quantiles) is spread over that many samples so parts merge like autocannon's.
 */
function recordWrk(prepared: Prepared, result: WrkResult): PartResult {
  const recorder = prepared.recorder;
  recorder.count = result.requests - result.failed;
  const step = result.quantilesMs.length / Math.max(1, recorder.count);
  recorder.latenciesMs = Array.from({ length: recorder.count }, (_, i) => result.quantilesMs[Math.floor(i * step)]!);
  if (result.failed > 0) recorder.firstFailure ??= `${result.failed} answers of HTTP 400 or above (wrk)`;
  return { durationSec: result.durationSec, errors: result.failed + result.errors };
}

/**
 * Loads `prepared` (one per node of the target; connections are dealt out over them) at
 * `concurrency` connections in all, and measures the processes of `pids` and their descendants.
 */
export async function measure(
  pids: readonly number[],
  prepared: readonly Prepared[],
  concurrency: number,
  durationSec: number,
  warmupSec = 0,
): Promise<Measurement> {
  const parts = prepared
    .map((p, i) => ({ prepared: p, connections: Math.floor((concurrency + prepared.length - 1 - i) / prepared.length) }))
    .filter((part) => part.connections > 0);
  const generator = loadGeneratorFor(parts.map((part) => part.prepared));
  const load = (seconds: number): Promise<PartResult[]> =>
    Promise.all(
      parts.map(async (part) => {
        if (generator === 'wrk') {
          const only = part.prepared.requests[0]!;
          return recordWrk(part.prepared, await startWrk(part.prepared.url, only, part.connections, seconds).done);
        }
        const result = await run(
          { url: part.prepared.url, connections: part.connections, duration: seconds, requests: part.prepared.requests, timeout: 30 },
          recordResponses(part.prepared),
        );
        return { durationSec: result.duration, errors: result.non2xx + result.errors + result.timeouts };
      }),
    );
  if (warmupSec > 0) await load(warmupSec);
  for (const part of parts) part.prepared.recorder.reset();
  const peakReset = pids.every((pid) => resetPeakRss(pid));
  const cpu = startCpuMeter(pids);
  const mainThreads = startCpuMeter(pids, true);
  const client0 = selfAndReapedChildrenCpuSeconds();
  const wall0 = performance.now();
  const results = await load(durationSec);
  const cpuPercent = cpu.stop();
  const mainThreadCpuPercent = mainThreads.stop();
  const clientCpuPercent = ((selfAndReapedChildrenCpuSeconds() - client0) / ((performance.now() - wall0) / 1000)) * 100;
  const peak = pids.reduce((sum, pid) => sum + memory(pid).peak, 0);
  const duration = Math.max(...results.map((r) => r.durationSec));
  const recorders = parts.map((part) => part.prepared.recorder);
  const latencies = recorders.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const firstError = recorders.find((r) => r.firstFailure)?.firstFailure;
  return {
    concurrency,
    durationSec: duration,
    opsPerSec: recorders.reduce((sum, r) => sum + r.count, 0) / duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    ...(firstError ? { firstError } : {}),
    cpuPercent,
    mainThreadCpuPercent,
    clientCpuPercent,
    loadGenerator: generator,
    peakRssBytes: peak,
    peakSinceStart: !peakReset,
  };
}
