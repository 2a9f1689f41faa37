import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { hashPassword, verifyPassword } from '../src/crypto/password-hash.js';
import { N, claimSignature, computeU, createVerifier, deriveKey, g, k, modPowN, parseA, signatureMatches } from '../src/crypto/srp.js';
import { newTemporaryCredentials } from '../src/credentials/sessions.js';
import type { CeilingId } from './paths.js';

/**
 * One process of the crypto-ceiling measurement (bench/ceilings.ts forks one per core). It does a
 * path's cryptographic work, and nothing else, with the primitives and parameters Cognate uses:
 * argon2id through src/crypto/password-hash.ts, RS256 through jose's SignJWT with a KeyObject (as
 * src/tokens/issue.ts), SRP through src/crypto/srp.ts, temporary credentials through
 * src/credentials/sessions.ts. Messages: `{ kind, ms, concurrency }` in,
 * `{ ready }` then `{ count, elapsedMs }` out.
 */

interface Material {
  privateKey: KeyObject;
  publicKey: KeyObject;
  passwordHash: string;
  verifier: string;
  srpA: bigint;
  accessToken: string;
}

const PASSWORD = 'Bench-Passw0rd!';
const ISSUER = 'http://127.0.0.1:9229/us-east-1_benchbench';

/** One token with the claim set of an access token from issueTokens. */
function sign(key: KeyObject): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: '2f4b1c8e-0d7a-4f43-9a51-2b0c6e1d7a90',
    iss: ISSUER,
    client_id: '4tq1bqk2mqm0d7gmc2i3r5a9xv',
    origin_jti: randomBytes(16).toString('hex'),
    event_id: randomBytes(16).toString('hex'),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: iat,
    exp: iat + 3600,
    iat,
    jti: randomBytes(16).toString('hex'),
    username: 'bench-u-00000',
    version: 2,
  })
    .setProtectedHeader({ kid: 'bench', alg: 'RS256' })
    .sign(key);
}

async function prepare(): Promise<Material> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { verifier } = await createVerifier('benchbench', 'bench-u-00000', PASSWORD);
  const a = BigInt(`0x${randomBytes(32).toString('hex')}`);
  return {
    privateKey,
    publicKey,
    passwordHash: await hashPassword(PASSWORD),
    verifier,
    srpA: parseA(modPowN(g, a).toString(16))!,
    accessToken: await sign(privateKey),
  };
}

/**
 * The server's SRP work for one sign-in, on this thread: B for InitiateAuth, then the key and the
 * proof check. The same powers src/crypto/srp.ts hands to its worker threads, without the hand-off,
 * so this is the machine's limit.
 */
function srpServerWork(m: Material): void {
  const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
  const v = BigInt(`0x${m.verifier}`);
  const B = (k * v + modPowN(g, b)) % N;
  const u = computeU(m.srpA, B);
  const key = deriveKey(modPowN((m.srpA * modPowN(v, u)) % N, b), u);
  const expected = claimSignature(key, 'benchbench', 'bench-u-00000', randomBytes(64).toString('base64'), 'Tue Mar 5 07:04:09 UTC 2024');
  signatureMatches(expected, expected.toString('base64'));
}

const WORK: Record<CeilingId, (m: Material) => Promise<unknown>> = {
  password: async (m) => {
    if (!(await verifyPassword(m.passwordHash, PASSWORD))) throw new Error('argon2id verify failed');
    await Promise.all([sign(m.privateKey), sign(m.privateKey)]);
  },
  refresh: (m) => Promise.all([sign(m.privateKey), sign(m.privateKey)]),
  srp: async (m) => {
    srpServerWork(m);
    await Promise.all([sign(m.privateKey), sign(m.privateKey)]);
  },
  'get-user': (m) => jwtVerify(m.accessToken, m.publicKey, { issuer: ISSUER }),
  'client-credentials': (m) => sign(m.privateKey),
  credentials: async (m) => {
    await jwtVerify(m.accessToken, m.publicKey, { issuer: ISSUER });
    newTemporaryCredentials(Date.now() + 3600_000);
  },
};

async function loop(kind: CeilingId, material: Material, concurrency: number, ms: number): Promise<{ count: number; elapsedMs: number }> {
  const started = performance.now();
  const deadline = started + ms;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await WORK[kind](material);
        count++;
      }
    }),
  );
  return { count, elapsedMs: performance.now() - started };
}

const material = await prepare();
process.on('message', (message: { kind: CeilingId; ms: number; warmupMs: number; concurrency: number } | 'exit') => {
  if (message === 'exit') {
    process.disconnect();
    return;
  }
  void (async () => {
    await loop(message.kind, material, message.concurrency, message.warmupMs);
    process.send?.(await loop(message.kind, material, message.concurrency, message.ms));
  })();
});
process.send?.({ ready: true });
