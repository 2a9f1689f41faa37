import { Worker } from 'node:worker_threads';
import type { RunResult } from '../outcome.js';
import { MODULE_WORKER_SOURCE } from './module-worker-source.js';

/** One invocation of a module handler. */
export interface ModuleRun {
  file: string;
  exportName: string;
  functionName: string;
  functionArn: string;
  event: unknown;
  timeoutMs: number;
}

type WorkerAnswer = { id: number; outcome: { kind: string; json?: string; message?: string; reason?: string }; logs: string };

interface Job {
  id: number;
  run: ModuleRun;
  deadline: number;
  finish(result: RunResult): void;
}

interface Slot {
  worker: Worker | undefined;
  job: Job | undefined;
}

/**
 * Runs one function's module handler on a small fixed pool of worker threads, one invocation per thread at a
 * time, so a hung or crashing handler never holds the server's event loop. Threads start on first
 * use and are unref'd while idle, so the pool never keeps a process alive. A thread whose handler
 * timed out or crashed is terminated and replaced on next use.
 */
export class ModuleFunctionPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 0;

  constructor(size = 2) {
    this.slots = Array.from({ length: size }, () => ({ worker: undefined, job: undefined }));
  }

  /** Runs one handler; the timeout counts from the call, queueing included, as the caller waits that long. */
  run(run: ModuleRun): Promise<RunResult> {
    return new Promise((resolve) => {
      const job: Job = { id: this.nextId++, run, deadline: Date.now() + run.timeoutMs, finish: () => undefined };
      const timer = setTimeout(() => {
        const queued = this.queue.indexOf(job);
        if (queued >= 0) this.queue.splice(queued, 1);
        job.finish({ kind: 'timeout' });
        const slot = this.slots.find((s) => s.job === job);
        if (slot) void this.retire(slot);
      }, run.timeoutMs);
      job.finish = (result) => {
        job.finish = () => undefined;
        clearTimeout(timer);
        resolve(result);
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every thread; invocations under way or waiting for a thread fail. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.finish({ kind: 'failed', reason: 'the function was stopped' });
    await Promise.all(this.slots.map((slot) => this.retire(slot)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      const worker = slot.worker ?? this.start(slot);
      worker.ref();
      const { file, exportName, functionName, functionArn, event } = job.run;
      worker.postMessage({ id: job.id, file, exportName, functionName, functionArn, event, deadline: job.deadline });
    }
  }

  private start(slot: Slot): Worker {
    // No execArgv: handlers are plain JavaScript and must not load the parent's loaders (tsx).
    // The worker's own stdout and stderr are not piped here (`stdout: true`): reading them would
    // keep the process alive, and the worker captures what handlers write before it gets there.
    const worker = new Worker(MODULE_WORKER_SOURCE, { eval: true, execArgv: [] });
    slot.worker = worker;
    worker.on('message', (answer: WorkerAnswer) => {
      const job = slot.job;
      if (!job || job.id !== answer.id) return;
      slot.job = undefined;
      worker.unref();
      job.finish(toRunResult(answer));
      this.dispatch();
    });
    const crashed = (reason: string): void => {
      if (slot.worker !== worker) return;
      const job = slot.job;
      slot.worker = undefined;
      slot.job = undefined;
      job?.finish({ kind: 'failed', reason });
      this.dispatch();
    };
    worker.on('error', (error) => crashed(`the function crashed: ${error.message}`));
    worker.on('exit', (code) => crashed(`the function exited with code ${code}`));
    worker.unref();
    return worker;
  }

  private async retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    const job = slot.job;
    slot.worker = undefined;
    slot.job = undefined;
    job?.finish({ kind: 'failed', reason: 'the function was stopped' });
    if (worker) await worker.terminate();
    this.dispatch();
  }
}

function toRunResult(answer: WorkerAnswer): RunResult {
  const { outcome, logs } = answer;
  const withLogs = logs === '' ? {} : { logs };
  switch (outcome.kind) {
    case 'ok':
      return { kind: 'ok', result: JSON.parse(outcome.json ?? '{}') as Record<string, unknown>, ...withLogs };
    case 'handler-error':
      return { kind: 'handler-error', message: outcome.message ?? '', ...withLogs };
    case 'invalid':
      return { kind: 'invalid', reason: outcome.reason ?? '', ...withLogs };
    default:
      return { kind: 'failed', reason: outcome.reason ?? 'unknown failure', ...withLogs };
  }
}
