/** Time source. Everything time-based takes a Clock so tests can freeze and advance it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests. */
export class FrozenClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }

  /**
   * Runs `fn` with the clock moved forward by `ms`, then puts it back: admin calls are SigV4-signed
   * with the real time, which a clock left in the future would refuse.
   */
  async travel<T>(ms: number, fn: () => Promise<T>): Promise<T> {
    const start = this.current;
    this.advance(ms);
    try {
      return await fn();
    } finally {
      this.current = start;
    }
  }

  /** A frozen clock at the current whole second. */
  static atNow(): FrozenClock {
    return new FrozenClock(Math.floor(Date.now() / 1000) * 1000);
  }
}

/** Epoch seconds, the awsJson1_1 timestamp form. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
