import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import { AggregatorRegistry, type PrometheusContentType } from 'prom-client';
import { answerMetricsRequests } from './observability/cluster-metrics.js';
import type { Config } from './config/schema.js';

/**
 * `cognate start` with `workers` above 1: this process only supervises; each worker is a whole
 * Cognate node (src/main.ts) listening on the shared port, stateless like the nodes of a
 * scale-out deployment, over the same database. One Node.js process serves from one core (HTTP
 * parsing, JSON, SQLite and the glue around hashing and signing all run on its main thread), so
 * on a machine with several cores more processes serve more requests.
 *
 * Start-up work that must happen once (migrations, the master key file, a generated admin key) is
 * done by the first worker alone: the others are forked only once it listens, and find it done.
 * The supervisor imports nothing of the server, so it adds little memory.
 *
 * @see https://nodejs.org/docs/latest-v20.x/api/cluster.html
 */

/** A worker's message once it listens: the start banner, which the supervisor prints once. */
export interface WorkerReady {
  type: typeof WORKER_READY;
  banner: string[];
}
export const WORKER_READY = 'cognate:ready';
/** The supervisor's message asking a worker to finish its requests and exit. */
export const WORKER_STOP = 'cognate:stop';

/** How long stopping workers get to finish before they are killed. */
const STOP_GRACE_MS = 10_000;
/** A worker that dies sooner than this after its start is restarted after a growing delay. */
const STABLE_AFTER_MS = 10_000;
const MIN_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

function isReady(message: unknown): message is WorkerReady {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === WORKER_READY;
}

/** Gathers the workers' metrics for a scrape (one per supervisor; it asks every living worker). */
const aggregator = new AggregatorRegistry<PrometheusContentType>();

/** Forks one worker and resolves with its banner once it listens, or rejects if it exits first. */
function forkReady(): { worker: Worker; ready: Promise<string[]> } {
  const worker = cluster.fork();
  answerMetricsRequests(worker, aggregator);
  const ready = new Promise<string[]>((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isReady(message)) return;
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      resolve(message.banner);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      worker.off('message', onMessage);
      reject(new Error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) before it listened`));
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });
  return { worker, ready };
}

/** Runs the supervisor until SIGTERM or SIGINT has stopped every worker. */
export async function supervise(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { pid: process.pid, role: 'supervisor' } });
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  let restartDelayMs = MIN_RESTART_DELAY_MS;

  const stopAll = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const living = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exitWhenAllGone = (): void => {
      if (living().length === 0) process.exit(process.exitCode ?? 0);
    };
    for (const worker of living()) {
      // The callback takes the error of a worker whose channel is already closing (it got the signal too).
      if (worker.isConnected()) worker.send(WORKER_STOP, undefined, () => undefined);
      setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS).unref();
    }
    cluster.on('exit', exitWhenAllGone);
    exitWhenAllGone();
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));

  const track = (worker: Worker): Worker => {
    startedAt.set(worker, Date.now());
    worker.once('exit', (code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (stopping) return;
      if (lived >= STABLE_AFTER_MS) restartDelayMs = MIN_RESTART_DELAY_MS;
      const delay = lived >= STABLE_AFTER_MS ? 0 : restartDelayMs;
      if (lived < STABLE_AFTER_MS) restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
      logger.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'worker died; starting another');
      setTimeout(() => {
        if (!stopping) {
          const replacement = cluster.fork();
          answerMetricsRequests(replacement, aggregator);
          track(replacement);
        }
      }, delay);
    });
    return worker;
  };

  try {
    const first = forkReady();
    const banner = await first.ready;
    track(first.worker);
    const rest = Array.from({ length: config.workers - 1 }, () => forkReady());
    // Once one fails, the others are stopped and reject too; Promise.all has already settled.
    for (const r of rest) r.ready.catch(() => undefined);
    await Promise.all(rest.map((r) => r.ready));
    for (const r of rest) track(r.worker);
    process.stdout.write(
      [...banner, `  workers:      ${config.workers} processes sharing the port (supervisor pid ${process.pid})`].join('\n') + '\n',
    );
  } catch (error) {
    // A node that cannot start (bad database URL, port taken) fails the same way on every try.
    process.exitCode = 1;
    logger.error({ err: error }, 'start failed');
    stopAll('start failed');
  }
}
