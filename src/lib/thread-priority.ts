import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * Gives the event loop the CPU before the threads that work for it.
 *
 * Hashing, SRP's powers and token signing run on libuv's pool and on worker threads so that both
 * cores work; the event loop hands them their jobs and sends their results. On a machine with as
 * many busy threads as cores, every job handed over wakes a pool thread that then preempts the
 * event loop, which waits its turn with requests queued behind it while the pool runs dry: on 2
 * vCPU the client_credentials grant ran at about 2,750/s with a third of the CPU idle. With the
 * helper threads at a lower priority (a higher nice value) the event loop runs whenever it has
 * work and the pool takes every cycle it leaves: about 3,300/s on the same machine.
 *
 * Linux applies a nice value per thread (setpriority on a thread id), and a process may always
 * lower its own threads' priority. Threads start lazily (libuv's pool on first use, workers on
 * demand), so the threads are looked at again every few seconds. Elsewhere this does nothing.
 */

/** The nice value of the helper threads; the event loop keeps the process's own (normally 0). */
export const HELPER_THREAD_NICE = 10;

/** Lowers the priority of every thread of this process but the main one; returns how many it changed. */
export function lowerHelperThreadPriority(): number {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0; // not Linux, or no /proc
  }
  let changed = 0;
  for (const tid of tids) {
    const id = Number(tid);
    if (id === process.pid) continue;
    try {
      if (getPriority(id) < HELPER_THREAD_NICE) {
        setPriority(id, HELPER_THREAD_NICE);
        changed++;
      }
    } catch {
      // The thread ended between the listing and the call.
    }
  }
  return changed;
}

/**
 * Keeps the helper threads below the event loop from now on: now, and every `intervalMs` for
 * threads started since. Returns a function that stops the checks (the priorities stay).
 */
export function favourEventLoop(intervalMs = 5000): () => void {
  // Only the main thread's id equals the process id: from a worker thread this would lower the event loop.
  if (!isMainThread) return () => {};
  lowerHelperThreadPriority();
  const timer = setInterval(lowerHelperThreadPriority, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
