import assert from 'node:assert/strict';

/**
 * Polls `probe` every `everyMs` until it returns true, and fails with `what` once `ms` have passed:
 * for a change another process makes visible in its own time (a notification, a lease), waited for
 * with a deadline rather than a fixed sleep.
 */
export async function eventually(what: string, probe: () => Promise<boolean>, ms: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
