import { availableParallelism } from 'node:os';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1). The native calls are async and run on the
 * libuv pool, so the event loop never blocks on a hash and both cores work.
 *
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */
// `Algorithm` is an ambient const enum; 2 is its Argon2id member.
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * How many hashes run at once; the rest wait their turn. argon2id is memory-hard: many more hashes
 * in flight than cores only thrash the caches and take the cores from the event loop and from
 * signing (on a 2-vCPU machine, 2 at a time verify about 200/s, 4 at a time about 175/s).
 */
let limit = availableParallelism();
let running = 0;
const waiting: (() => void)[] = [];

/** Sets how many hashes this process runs at once (one per core it may use; see `workers`). */
export function limitPasswordHashing(concurrency: number): void {
  limit = Math.max(1, Math.floor(concurrency));
}

/** How many hashes run now and how many wait for a slot (for the metrics). */
export function passwordHashingLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

/** Runs `work` once one of the `limit` hashing slots is free, in arrival order; exported for its test. */
export async function inHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  // A finishing hash hands its slot straight to the next in line, so none can jump the queue.
  if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inHashingSlot(() => hash(password, OPTIONS));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await inHashingSlot(() => verify(stored, password));
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the user does not exist, so that an unknown
 * user costs as much time as a wrong password (no user-existence timing oracle).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}
