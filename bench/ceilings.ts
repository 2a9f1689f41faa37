import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CeilingId } from './paths.js';
import { ROOT } from './targets.js';

/**
 * The crypto ceiling of each path on this machine, measured in the same run as the load: the most
 * operations per second the path's cryptography alone allows, with every core busy (one worker
 * process per core, each with a few operations in flight so the libuv pool stays full).
 */

export interface Ceiling {
  id: CeilingId;
  /** What one operation is, in crypto terms. */
  work: string;
  /** The best of the samples: other work on the machine only ever lowers a sample. */
  perSec: number;
  /** One measurement per pass (the run measures before and after the load). */
  samples: number[];
}

/** Merges passes of {@link measureCeilings}: the best rate per ceiling, every sample kept. */
export function mergeCeilings(passes: Ceiling[][]): Ceiling[] {
  const merged = new Map<CeilingId, Ceiling>();
  for (const ceiling of passes.flat()) {
    const seen = merged.get(ceiling.id);
    merged.set(
      ceiling.id,
      seen
        ? { ...seen, perSec: Math.max(seen.perSec, ceiling.perSec), samples: [...seen.samples, ...ceiling.samples] }
        : { ...ceiling, samples: [...ceiling.samples] },
    );
  }
  return [...merged.values()];
}

export const CEILING_WORK: Record<CeilingId, string> = {
  password: 'argon2id verify (19 MiB, t=2, p=1) + 2 RS256 signatures',
  srp: 'SRP server work (3 modexp, 3072-bit group) + 2 RS256 signatures',
  refresh: '2 RS256 signatures',
  'get-user': '1 RS256 verification',
  'client-credentials': '1 RS256 signature',
  credentials: '1 RS256 verification + temporary credentials (access key id, secret, session token)',
};

/**
 * Operations in flight per worker. argon2id is memory-hard: more hashes at once than cores only
 * thrash the caches, so one per worker (one per core); the rest are short and need a second in
 * flight to keep the libuv pool busy while the main thread encodes.
 */
const IN_FLIGHT: Record<CeilingId, number> = { password: 1, srp: 2, refresh: 2, 'get-user': 2, 'client-credentials': 2, credentials: 2 };

interface WorkerResult {
  count: number;
  elapsedMs: number;
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`ceiling worker exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}

export async function measureCeilings(ids: readonly CeilingId[], seconds: number, log: (line: string) => void): Promise<Ceiling[]> {
  const cores = availableParallelism();
  const workers = Array.from({ length: cores }, () =>
    fork(join(ROOT, 'bench/ceiling-worker.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await Promise.all(workers.map((w) => nextMessage<{ ready: boolean }>(w)));
    const ceilings: Ceiling[] = [];
    for (const id of ids) {
      const ms = seconds * 1000;
      const results = await Promise.all(
        workers.map((w) => {
          const answer = nextMessage<WorkerResult>(w);
          w.send({ kind: id, ms, warmupMs: Math.min(500, ms / 4), concurrency: IN_FLIGHT[id] });
          return answer;
        }),
      );
      const perSec = results.reduce((sum, r) => sum + r.count / (r.elapsedMs / 1000), 0);
      ceilings.push({ id, work: CEILING_WORK[id], perSec, samples: [perSec] });
      log(`  ceiling ${id.padEnd(18)} ${perSec.toFixed(0).padStart(7)} /s  (${CEILING_WORK[id]})`);
    }
    return ceilings;
  } finally {
    for (const w of workers) {
      if (w.connected) w.send('exit');
      setTimeout(() => w.kill(), 2000).unref();
    }
  }
}
