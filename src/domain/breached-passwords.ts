import { createHash } from 'node:crypto';
import { BREACHED_PASSWORD_PREFIXES } from './breached-passwords-data.js';

/*
 * The breached-password corpus that ships with Cognate: threat protection's compromised-credentials
 * check (Cognito checks against its own breach feeds; Cognate never calls out over the network).
 * The list and how it is built are described in tools/breached-passwords.ts.
 */

/** How many leading bytes of each password's SHA-1 the corpus keeps. */
export const BREACHED_PREFIX_BYTES = 5;

let corpus: Buffer | undefined;

/** The sorted prefixes as one buffer, decoded on first use. */
function prefixes(): Buffer {
  corpus ??= Buffer.from(BREACHED_PASSWORD_PREFIXES.join(''), 'base64');
  return corpus;
}

/** Whether `password` is in the corpus: a binary search for its SHA-1 prefix. */
export function isBreachedPassword(password: string): boolean {
  const key = createHash('sha1').update(password, 'utf8').digest().subarray(0, BREACHED_PREFIX_BYTES);
  const all = prefixes();
  let low = 0;
  let high = all.length / BREACHED_PREFIX_BYTES - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = all.compare(key, 0, BREACHED_PREFIX_BYTES, middle * BREACHED_PREFIX_BYTES, (middle + 1) * BREACHED_PREFIX_BYTES);
    if (order === 0) return true;
    // compare() orders the buffer's slice against the key: > 0 means the slice sorts after it.
    if (order > 0) high = middle - 1;
    else low = middle + 1;
  }
  return false;
}

/** How many passwords the corpus holds. */
export function breachedPasswordCount(): number {
  return prefixes().length / BREACHED_PREFIX_BYTES;
}
