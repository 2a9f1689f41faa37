import type { InvokeOutcome } from './outcome.js';

/** One remembered invocation: never the event or the result, which can hold secrets. */
export interface InvocationRecord {
  at: number;
  functionArn: string;
  /** e.g. `PreSignUp_SignUp`; absent when invoked outside a trigger. */
  triggerSource: string | undefined;
  mode: 'module' | 'url' | 'lambdaEndpoint' | 'none';
  durationMs: number;
  outcome: InvokeOutcome['kind'];
  /** The handler-error message, or why it failed or was invalid. */
  detail: string | undefined;
  /** What a module handler printed, trimmed. */
  logs: string | undefined;
}

/** The last invocations of each user pool, newest first, in a bounded ring per pool. */
export class InvocationLog {
  private readonly rings = new Map<string, { items: InvocationRecord[]; next: number }>();

  constructor(private readonly size: number) {}

  add(poolId: string, record: InvocationRecord): void {
    if (this.size === 0) return;
    let ring = this.rings.get(poolId);
    if (!ring) this.rings.set(poolId, (ring = { items: [], next: 0 }));
    if (ring.items.length < this.size) ring.items.push(record);
    else ring.items[ring.next] = record;
    ring.next = (ring.next + 1) % this.size;
  }

  /** The pool's remembered invocations, newest first. */
  list(poolId: string): InvocationRecord[] {
    const ring = this.rings.get(poolId);
    if (!ring) return [];
    const oldestFirst = ring.items.length < this.size ? ring.items : [...ring.items.slice(ring.next), ...ring.items.slice(0, ring.next)];
    return [...oldestFirst].reverse();
  }
}
