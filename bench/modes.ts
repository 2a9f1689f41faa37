/**
 * Run lengths. `short` fits in about two minutes on a 2-core machine (one concurrency level, a few
 * seconds per path, Cognate with two workers only); `full` sweeps concurrency, runs long enough for
 * stable p99s, and compares one worker with two on SQLite and one node with two on PostgreSQL.
 */
export const MODES = {
  short: { concurrencies: [16], durationSec: 4, warmupSec: 0, users: 100, ceilingSec: 1.5, workers: [2], nodes: [1] },
  full: { concurrencies: [1, 16, 64], durationSec: 15, warmupSec: 2, users: 1000, ceilingSec: 5, workers: [1, 2], nodes: [1, 2] },
} as const;

export type Mode = keyof typeof MODES;
