import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined or false, and
 * returns it; after `timeoutMs` it fails with `message`, so no wait in a test can hang. `message`
 * may be a function, read only then: for output gathered meanwhile.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  message: string | (() => string),
  { timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() >= deadline) {
      throw new Error(`${typeof message === 'function' ? message() : message} (gave up after ${timeoutMs} ms)`);
    }
    await delay(intervalMs);
  }
}
