import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1). The native calls are async and run on the
 * libuv pool, so the event loop never blocks on a hash and both cores work.
 *
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */
// `Algorithm` is an ambient const enum; 2 is its Argon2id member.
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
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
