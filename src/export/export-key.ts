import { randomBytes, scrypt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Sealer } from '../crypto/sealing.js';

/**
 * The key an export file's secrets are sealed under: derived from a passphrase the operator gives
 * (never the server's master key, which stays with its server), with scrypt and a salt kept in the
 * file's header. The file's secrets are sealed with the same AES-256-GCM as the store's
 * (`crypto/sealing.ts`), under this key.
 */

/** scrypt's cost parameters, kept in the header so a later version may raise them. */
export interface ExportKdf {
  name: 'scrypt';
  /** base64url. */
  salt: string;
  N: number;
  r: number;
  p: number;
}

/** About 100 ms and 32 MiB on one core: RFC 7914's interactive parameters doubled. */
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 };
/** The most a file may ask of the importer (a header is input: it must not ask for gigabytes). */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** The sealed value of a file's header that proves the importer holds the exporter's key. */
const KEY_CHECK_TEXT = 'cognate-export';
const KEY_CHECK_CONTEXT = 'export-key-check';

/** Where `--key` points: `env:NAME` for an environment variable, else a file (its first line). */
export async function readPassphrase(source: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let passphrase: string | undefined;
  if (source.startsWith('env:')) {
    passphrase = env[source.slice(4)];
    if (passphrase === undefined) throw new Error(`--key ${source}: the variable ${source.slice(4)} is not set`);
  } else {
    passphrase = (await readFile(source, 'utf8')).split(/\r?\n/)[0];
  }
  if (passphrase === undefined || passphrase.length < 12) {
    throw new Error(`--key ${source}: the passphrase must have at least 12 characters`);
  }
  return passphrase;
}

function derive(passphrase: string, kdf: ExportKdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase,
      Buffer.from(kdf.salt, 'base64url'),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** A new key for an export: a fresh salt, the sealer, and the header's check value. */
export async function newExportKey(passphrase: string): Promise<{ kdf: ExportKdf; sealer: Sealer; keyCheck: string }> {
  const kdf: ExportKdf = { name: 'scrypt', salt: randomBytes(16).toString('base64url'), ...DEFAULT_COST };
  const sealer = new Sealer(await derive(passphrase, kdf));
  return { kdf, sealer, keyCheck: sealer.seal(KEY_CHECK_TEXT, KEY_CHECK_CONTEXT) };
}

/** A file sealed under another key (or a passphrase that is not the exporter's). */
export class WrongExportKeyError extends Error {
  constructor() {
    super('the file was sealed under another key: the passphrase given is not the one it was exported with; nothing was imported');
  }
}

/** The sealer of an export file's secrets, from its header; throws {@link WrongExportKeyError} for another passphrase. */
export async function openExportKey(passphrase: string, kdf: ExportKdf, keyCheck: string): Promise<Sealer> {
  const bounded =
    kdf.name === 'scrypt' &&
    typeof kdf.salt === 'string' &&
    [kdf.N, kdf.r, kdf.p].every(Number.isSafeInteger) &&
    kdf.N > 1 &&
    kdf.N <= MAX_N &&
    (kdf.N & (kdf.N - 1)) === 0 &&
    kdf.r >= 1 &&
    kdf.r <= MAX_R &&
    kdf.p >= 1 &&
    kdf.p <= MAX_P;
  if (!bounded) throw new Error('the file header names a key derivation Cognate does not accept');
  const sealer = new Sealer(await derive(passphrase, kdf));
  if (sealer.openString(keyCheck, KEY_CHECK_CONTEXT) !== KEY_CHECK_TEXT) throw new WrongExportKeyError();
  return sealer;
}
