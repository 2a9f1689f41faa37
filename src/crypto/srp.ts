import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual, type DiffieHellman } from 'node:crypto';
import { ModExpPool } from './modexp-pool.js';

/**
 * SRP-6a exactly as Cognito and its clients (amazon-cognito-identity-js `AuthenticationHelper`,
 * Amplify v6 `srp/*`) compute it: the RFC 5054 3072-bit group with g = 2, Java-style `padHex`,
 * k = H(padHex(N) | padHex(g)), x = H(salt | H(poolName | username | ":" | password)), and a one-block
 * HKDF with the info "Caldera Derived Key".
 *
 * Modular exponentiation is native: a reused Diffie-Hellman object over the group computes
 * `base^e mod N` as `setPrivateKey(e)` + `computeSecret(base)`, about 7x faster than BigInt. The
 * server's powers run on worker threads (ModExpPool) so sign-ins use every core and never block
 * the event loop; `modPowN` is the same on the calling thread, for clients and tests.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html
 */

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
/** Largest accepted SRP_A, in hex digits: a value can't exceed N, which has 768. */
export const MAX_A_HEX_LENGTH = 1024;

/**
 * Minimal even-length big-endian hex, with `00` prepended when the first nibble is 8-f (Java's
 * two's-complement `BigInteger.toByteArray`), as every Cognito client hashes numbers.
 */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if ('89abcdef'.includes(hex[0]!)) hex = `00${hex}`;
  return hex;
}

/** SHA-256 over the bytes a hex string denotes, as hex. */
export function hexHash(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Every hex string read here is non-empty: a hash, a padded power, a stored salt or verifier, a checked SRP_A. */
function toBigInt(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** k = H(padHex(N) | padHex(g)) = 538282c4...9ee6. */
export const k = toBigInt(hexHash(padHex(N) + padHex(g)));

const N_BYTES = Buffer.from(N_HEX, 'hex');
let dh: DiffieHellman | undefined;

let pool: ModExpPool | undefined;
function workers(): ModExpPool {
  pool ??= new ModExpPool(N_HEX);
  return pool;
}

/** SRP exponentiations queued on or running in the worker threads (0 before the first). */
export function srpWorkPending(): number {
  return pool?.pending() ?? 0;
}

/** base^exponent mod N, natively, on the calling thread. */
export function modPowN(base: bigint, exponent: bigint): bigint {
  dh ??= createDiffieHellman(N_BYTES, Buffer.from([2]));
  const b = base % N;
  // OpenSSL refuses degenerate public values (0, 1, N-1); they have trivial powers anyway.
  if (b === 0n) return 0n;
  if (b === 1n || exponent === 0n) return 1n;
  if (b === N - 1n) return exponent % 2n === 0n ? 1n : N - 1n;
  dh.setPrivateKey(Buffer.from(padHex(exponent), 'hex'));
  return toBigInt(dh.computeSecret(Buffer.from(padHex(b), 'hex')).toString('hex'));
}

/** x = H(salt | H(poolName | username | ":" | password)). */
export function computeX(saltHex: string, poolName: string, username: string, password: string): bigint {
  return toBigInt(hexHash(padHex(toBigInt(saltHex)) + sha256Hex(`${poolName}${username}:${password}`)));
}

export interface SrpVerifier {
  /** Salt as hex (16 random bytes). */
  salt: string;
  /** v = g^x mod N, as hex. */
  verifier: string;
}

/** The salt and verifier stored for a password (and, for devices, for a device secret). */
export function createVerifier(
  poolName: string,
  username: string,
  password: string,
  saltHex = randomBytes(16).toString('hex'),
): SrpVerifier {
  const v = modPowN(g, computeX(saltHex, poolName, username, password));
  return { salt: saltHex, verifier: v.toString(16) };
}

/** Parses SRP_A and rejects what Cognito rejects: not hex (the pattern refuses an empty value too), too long, or A mod N = 0. */
export function parseA(srpA: string): bigint | undefined {
  if (srpA.length > MAX_A_HEX_LENGTH || !/^[0-9a-fA-F]+$/.test(srpA)) return undefined;
  const A = toBigInt(srpA);
  return A % N === 0n ? undefined : A;
}

export interface ServerChallenge {
  /** The server's secret exponent b, as hex. */
  b: string;
  /** B = (k·v + g^b) mod N, as hex. */
  B: string;
}

/**
 * The server's half: B = (k·v + g^b) mod N. A 256-bit b keeps the exponentiation short while its
 * discrete log stays at 128-bit strength.
 */
export async function createServerChallenge(verifierHex: string, bHex = randomBytes(32).toString('hex')): Promise<ServerChallenge> {
  const b = toBigInt(bHex);
  const B = (k * toBigInt(verifierHex) + (await workers().run([[g, b, 1n]]))) % N;
  return { b: bHex, B: B.toString(16) };
}

/** u = H(padHex(A) | padHex(B)). */
export function computeU(A: bigint, B: bigint): bigint {
  return toBigInt(hexHash(padHex(A) + padHex(B)));
}

/** HKDF as the clients do it: PRK = HMAC(padHex(u), padHex(S)); K = HMAC(PRK, "Caldera Derived Key" | 0x01)[0..16). */
export function deriveKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/** The server's key: S = (A · v^u)^b mod N, then the HKDF. Undefined when u = 0 (abort, as the clients do). */
export async function serverKey(A: bigint, challenge: ServerChallenge, verifierHex: string): Promise<Buffer | undefined> {
  const B = toBigInt(challenge.B);
  const u = computeU(A, B);
  if (u === 0n) return undefined;
  // One round trip: v^u, then (A · v^u)^b.
  const S = await workers().run([
    [toBigInt(verifierHex), u, 1n],
    [null, toBigInt(challenge.b), A],
  ]);
  return deriveKey(S, u);
}

/** PASSWORD_CLAIM_SIGNATURE = Base64(HMAC(K, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP)). */
export function claimSignature(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.from(poolName, 'utf8'))
    .update(Buffer.from(userId, 'utf8'))
    .update(Buffer.from(secretBlock, 'base64'))
    .update(Buffer.from(timestamp, 'utf8'))
    .digest();
}

/**
 * The client's half, as amazon-cognito-identity-js computes it: the key from
 * S = (B - k·g^x)^(a + u·x) mod N. For tests, tools and the benchmark's load generator; `gx`
 * (g^x mod N) may be passed in when the caller caches it per user.
 */
export function clientKey(a: bigint, A: bigint, B: bigint, x: bigint, gx: bigint = modPowN(g, x)): Buffer {
  const u = computeU(A, B);
  const base = (((B - ((k * gx) % N)) % N) + N) % N;
  return deriveKey(modPowN(base, a + u * x), u);
}

/** The ChallengeResponses of PASSWORD_VERIFIER for a client key, signed over the given TIMESTAMP. */
export function passwordVerifierResponses(
  key: Buffer,
  poolName: string,
  userId: string,
  secretBlock: string,
  timestamp: string,
): Record<string, string> {
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, userId, secretBlock, timestamp).toString('base64'),
  };
}

/**
 * Constant-time check of a client's PASSWORD_CLAIM_SIGNATURE. Node's base64 decoder reads the
 * URL-safe alphabet too, so standard and URL-safe encodings both match.
 */
export function signatureMatches(expected: Buffer, provided: string): boolean {
  const given = Buffer.from(provided, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `EEE MMM d HH:mm:ss 'UTC' yyyy`: day not zero-padded, e.g. `Tue Mar 5 07:04:09 UTC 2024`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(
    d.getUTCSeconds(),
  )} UTC ${d.getUTCFullYear()}`;
}

/**
 * Parses a client TIMESTAMP; undefined unless it is exactly in Cognito's format with the right
 * weekday (AWS rejects `Sep 05` and a wrong weekday).
 */
export function parseTimestamp(text: string): number | undefined {
  const m =
    /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/.exec(
      text,
    );
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[7]), MONTHS.indexOf(m[2]!), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return formatTimestamp(ms) === text ? ms : undefined;
}
