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

  /**
   * Creates a fresh active key for each purpose of a pool (at pool creation and on rotation) and
   * retires the keys it had: they sign nothing more but stay in the JWKS, so tokens they signed
   * still verify. Returns the new key IDs. Other nodes pick the new keys up when they meet their
   * `kid` (verification, JWKS) or when their cache expires.
   */
  async rotate(poolId: string): Promise<Record<KeyPurpose, string>> {
    const now = this.clock.now();
    const previous = await this.store.kids(poolId);
    const created: Partial<Record<KeyPurpose, string>> = {};
    for (const purpose of ['id', 'access'] as const) {
      const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
      const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
      // Like Cognito's kids: base64 of a SHA-256, here of the public key's DER.
      const kid = createHash('sha256')
        .update(publicKey.export({ format: 'der', type: 'spki' }))
        .digest('base64');
      await this.store.insert({
        kid,
        poolId,
        purpose,
        privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicJwk: { alg: 'RS256', e: jwk['e']!, kid, kty: 'RSA', n: jwk['n']!, use: 'sig' },
        status: 'active',
        createdAt: now + (purpose === 'access' ? 1 : 0),
      });
      created[purpose] = kid;
    }
    // After the inserts, so a reader never sees a pool without an active key.
    await this.store.setStatus(poolId, previous, 'retired');
    this.cache.delete(poolId);
    return { id: created.id!, access: created.access! };
  }

  /**
   * The cached keys, re-read when the store has a key this node has not loaded (rotated by another
   * node). Checking the key IDs alone keeps a forged `kid` from costing a full reload each time.
   */
  private async loadWithNew(poolId: string, kid?: string): Promise<LoadedKey[]> {
    const cached = this.cache.get(poolId);
    if (!cached || this.clock.now() - cached.loadedAt >= CACHE_MS) return this.load(poolId, true);
    if (kid !== undefined && cached.keys.some((k) => k.kid === kid)) return cached.keys;
    const stored = await this.store.kids(poolId);
    const known = new Set(cached.keys.map((k) => k.kid));
    const changed = stored.length !== known.size || stored.some((k) => !known.has(k));
    return changed ? this.load(poolId, true) : cached.keys;
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

  /** The public key for a `kid`, reloading when the store has keys this node has not seen. */
  async verificationKey(poolId: string, kid: string): Promise<KeyObject | undefined> {
    return (await this.loadWithNew(poolId, kid)).find((k) => k.kid === kid)?.publicKey;
  }

  /**
   * The pool's JSON Web Key Set, active and retired keys alike. Always current across nodes: a key
   * rotated on another node shows up at once, not after this node's cache expires.
   */
  async jwks(poolId: string): Promise<{ keys: Record<string, string>[] }> {
    let keys = await this.loadWithNew(poolId);
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
