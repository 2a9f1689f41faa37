import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningKeyRecord, SigningKeyStore } from '../store/ports.js';
import type { Clock } from '../lib/clock.js';

const generateRsa = promisify(generateKeyPair);

export type KeyPurpose = 'id' | 'access';

interface LoadedKey {
  kid: string;
  purpose: KeyPurpose;
  status: SigningKeyRecord['status'];
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, string>;
}

interface PoolKeys {
  loadedAt: number;
  keys: LoadedKey[];
}

/** How long a node trusts its cached view of a pool's keys before re-reading (key rotation by another node). */
const CACHE_MS = 60_000;

/**
 * Each pool's RS256 signing keys: one for ID tokens and one for access tokens, as in Cognito (two
 * `kid`s in the JWKS). Private keys are sealed in the store and parsed into KeyObjects once per
 * node, never per signature. A `kid` this node has not seen triggers a reload, so keys rotated on
 * another node verify everywhere.
 */
export class SigningKeys {
  private readonly cache = new Map<string, PoolKeys>();

  constructor(
    private readonly store: SigningKeyStore,
    private readonly clock: Clock,
  ) {}

  /** Creates a fresh active key for each purpose of a pool (at pool creation and on rotation). */
  async rotate(poolId: string): Promise<void> {
    const now = this.clock.now();
    for (const purpose of ['id', 'access'] as const) {
      const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
      // Like Cognito's kids: base64 of a SHA-256, here of the public key's DER.
      const kid = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
      await this.store.insert({
        kid,
        poolId,
        purpose,
        privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicJwk: { alg: 'RS256', e: jwk['e']!, kid, kty: 'RSA', n: jwk['n']!, use: 'sig' },
        status: 'active',
        createdAt: now + (purpose === 'access' ? 1 : 0),
      });
    }
    this.cache.delete(poolId);
  }

  private async load(poolId: string, force = false): Promise<LoadedKey[]> {
    const cached = this.cache.get(poolId);
    if (cached && !force && this.clock.now() - cached.loadedAt < CACHE_MS) return cached.keys;
    const records = await this.store.list(poolId);
    const keys = records.map((r) => ({
      kid: r.kid,
      purpose: r.purpose,
      status: r.status,
      privateKey: createPrivateKey(r.privateKey),
      publicKey: createPublicKey(r.privateKey),
      jwk: r.publicJwk,
    }));
    this.cache.set(poolId, { loadedAt: this.clock.now(), keys });
    return keys;
  }

  /** The newest active key of a purpose; creates the pool's keys if it has none. */
  async signingKey(poolId: string, purpose: KeyPurpose): Promise<{ kid: string; key: KeyObject }> {
    let keys = await this.load(poolId);
    if (!keys.some((k) => k.purpose === purpose)) {
      await this.rotate(poolId);
      keys = await this.load(poolId, true);
    }
    const active = keys.filter((k) => k.purpose === purpose && k.status === 'active');
    const newest = active[active.length - 1];
    if (!newest) throw new Error(`pool ${poolId} has no active ${purpose} key`);
    return { kid: newest.kid, key: newest.privateKey };
  }

  /** The public key for a `kid`, reloading once when it is unknown here. */
  async verificationKey(poolId: string, kid: string): Promise<KeyObject | undefined> {
    let key = (await this.load(poolId)).find((k) => k.kid === kid);
    if (!key) key = (await this.load(poolId, true)).find((k) => k.kid === kid);
    return key?.publicKey;
  }

  /** The pool's JSON Web Key Set. */
  async jwks(poolId: string): Promise<{ keys: Record<string, string>[] }> {
    let keys = await this.load(poolId);
    if (keys.length === 0) {
      await this.rotate(poolId);
      keys = await this.load(poolId, true);
    }
    return { keys: keys.map((k) => k.jwk) };
  }

  forget(poolId: string): void {
    this.cache.delete(poolId);
  }
}
