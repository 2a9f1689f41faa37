import type { Logger } from 'pino';
import type { TriggerInvocation, TriggerInvocationStore } from '../store/ports.js';

/** Where the invoker reports each invocation. */
export interface InvocationSink {
  add(poolId: string, invocation: TriggerInvocation): void;
}

/** How many invocations of a pool are written between two trims of its older ones. */
const TRIM_EVERY = 16;

/**
 * The last `size` trigger invocations of each pool, in the store so that every worker and node
 * writes one log and `cognate invocations` reads it. Writes are not awaited by the request that
 * invoked the function (a lost record costs a developer one line, a slower sign-in costs every
 * user); older rows are trimmed every few writes, and reads only ever show the newest `size`.
 */
export class InvocationLog implements InvocationSink {
  private readonly writes = new Map<string, number>();
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly store: TriggerInvocationStore,
    private readonly size: number,
    private readonly logger: Logger,
  ) {}

  add(poolId: string, invocation: TriggerInvocation): void {
    if (this.size === 0) return;
    const count = (this.writes.get(poolId) ?? 0) + 1;
    this.writes.set(poolId, count % TRIM_EVERY);
    const write = (async () => {
      await this.store.add(poolId, invocation);
      if (count === TRIM_EVERY) await this.store.trim(poolId, this.size);
    })().catch((error: unknown) => this.logger.warn({ err: error, poolId }, 'could not record a trigger invocation'));
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** The pool's remembered invocations, newest first. */
  async list(poolId: string): Promise<TriggerInvocation[]> {
    await this.flush();
    return this.size === 0 ? [] : this.store.list(poolId, this.size);
  }

  /** Waits for the writes under way (before reading, and before the store closes). */
  async flush(): Promise<void> {
    await Promise.all(this.pending);
  }
}
