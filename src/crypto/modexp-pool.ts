import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/**
 * Modular exponentiation over one prime, on worker threads: SRP's 3072-bit powers take about a
 * millisecond each, which on the main thread would serialise every sign-in on one core. Each
 * worker keeps a Diffie-Hellman object over the prime and computes `base^e mod p` natively as
 * `setPrivateKey(e)` + `computeSecret(base)`.
 *
 * The worker's code is inline (`eval`) so it runs the same from `dist/` and under tsx.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDiffieHellman } = require('node:crypto');
const N = BigInt('0x' + workerData.prime);
const dh = createDiffieHellman(Buffer.from(workerData.prime, 'hex'), Buffer.from([2]));
const hex = (n) => { const h = n.toString(16); return h.length % 2 ? '0' + h : h; };
function pow(base, e) {
  const b = base % N;
  if (b === 0n) return 0n;
  if (b === 1n || e === 0n) return 1n;
  if (b === N - 1n) return e % 2n === 0n ? 1n : N - 1n;
  dh.setPrivateKey(Buffer.from(hex(e), 'hex'));
  return BigInt('0x' + dh.computeSecret(Buffer.from(hex(b), 'hex')).toString('hex'));
}
parentPort.on('message', ({ id, steps }) => {
  try {
    // Each step is [base, exponent, multiplier]: base = previous result * multiplier when base is null.
    let result = 1n;
    for (const [base, e, multiplier] of steps) result = pow(base === null ? (result * multiplier) % N : base, e);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** One exponentiation: `base^exponent`, or `(previous · multiplier)^exponent` when base is null. */
export type PowStep = readonly [base: bigint | null, exponent: bigint, multiplier: bigint];

interface Pending {
  resolve(value: bigint): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class ModExpPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;

  constructor(primeHex: string, size = Math.max(1, Math.min(availableParallelism(), 4))) {
    for (let i = 0; i < size; i++) {
      // No execArgv: the worker is plain JavaScript and must not load the parent's loaders (tsx).
      const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { prime: primeHex } });
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (message: { id: number; result?: bigint; error?: string }) => {
        const waiting = slot.pending.get(message.id);
        if (!waiting) return;
        slot.pending.delete(message.id);
        if (slot.pending.size === 0) worker.unref();
        if (message.error !== undefined || message.result === undefined) waiting.reject(new Error(message.error ?? 'no result'));
        else waiting.resolve(message.result);
      });
      worker.on('error', (error) => {
        for (const waiting of slot.pending.values()) waiting.reject(error);
        slot.pending.clear();
      });
      // Idle workers must not keep a process (a CLI command, a test) alive. After the listeners:
      // adding a 'message' listener refs the worker again.
      worker.unref();
      this.slots.push(slot);
    }
  }

  /** Runs a chain of exponentiations on the least busy worker and returns the last result. */
  run(steps: readonly PowStep[]): Promise<bigint> {
    const slot = this.slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
    const id = this.nextId++;
    return new Promise<bigint>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      // Keep the process alive while a result is owed.
      slot.worker.ref();
      slot.worker.postMessage({ id, steps });
    });
  }

  /** Exponentiation chains sent to the workers and not yet answered (for the metrics). */
  pending(): number {
    return this.slots.reduce((sum, s) => sum + s.pending.size, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
