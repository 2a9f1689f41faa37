import type { Services } from '../services.js';

/** Longest window any counter needs (spent-session markers: 24 h), with a margin. */
export const COUNTER_RETENTION_MS = 48 * 3_600_000;
const EVERY_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Deletes what nothing will read again: rate, lockout and spent-session counters past their
 * longest window, authorization codes past their five minutes, inbox messages whose code or
 * temporary password no longer works, STS sessions past their expiry (a request signed with them
 * is refused either way), and audit events past `auditRetentionDays`. Runs on every
 * node; deleting is idempotent, so nodes need no coordination.
 */
export async function runHousekeeping(services: Services): Promise<void> {
  const now = services.clock.now();
  const prune = async (what: string, deleting: Promise<number>): Promise<void> => {
    try {
      const deleted = await deleting;
      if (deleted > 0) services.logger.debug({ deleted }, `pruned ${what}`);
    } catch (error) {
      services.logger.warn({ err: error }, 'housekeeping failed');
    }
  };
  await Promise.all([
    prune('expired counters', services.store.rateCounters.prune(now - COUNTER_RETENTION_MS)),
    prune('expired authorization codes', services.store.authorizationCodes.deleteExpired(now)),
    prune('expired inbox messages', services.store.inbox.deleteExpired(now)),
    prune('expired STS sessions', services.store.stsSessions.deleteExpired(now)),
    prune('used sync session tokens past their expiry', services.store.sync.deleteExpiredTokens(now)),
    prune('audit events past their retention', services.store.auditEvents.prune(now - services.config.auditRetentionDays * DAY_MS)),
  ]);
}

/** Runs {@link runHousekeeping} now and every ten minutes; returns a function that stops it. */
export function startHousekeeping(services: Services): () => void {
  const run = (): void => void runHousekeeping(services);
  run();
  const timer = setInterval(run, EVERY_MS);
  // Housekeeping alone never keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
