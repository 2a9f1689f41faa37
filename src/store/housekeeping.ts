import type { Services } from '../services.js';

/** Longest window any counter needs (spent-session markers: 24 h), with a margin. */
export const COUNTER_RETENTION_MS = 48 * 3_600_000;
const EVERY_MS = 10 * 60_000;

/**
 * Deletes what nothing will read again: rate, lockout and spent-session counters past their
 * longest window. Runs on every node; deleting is idempotent, so nodes need no coordination.
 * Returns a function that stops it.
 */
export function startHousekeeping(services: Services): () => void {
  const run = (): void => {
    services.store.rateCounters.prune(services.clock.now() - COUNTER_RETENTION_MS).then(
      (deleted) => {
        if (deleted > 0) services.logger.debug({ deleted }, 'pruned expired counters');
      },
      (error: unknown) => services.logger.warn({ err: error }, 'housekeeping failed'),
    );
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  // Housekeeping alone never keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
