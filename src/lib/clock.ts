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
}

/** Epoch seconds, the awsJson1_1 timestamp form. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
