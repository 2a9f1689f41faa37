import { createHmac, randomBytes } from 'node:crypto';
import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { usernameKey } from '../resolve-user.js';

/** The settings key of the secret that derives decoys; created on first use, shared by every node. */
const DECOY_KEY_SETTING = 'srp-decoy-key';
const DECOY_KEY_CONTEXT = 'srp-decoy-key';
const decoyKeys = new WeakMap<Services, Buffer>();

async function decoyKey(services: Services): Promise<Buffer> {
  const cached = decoyKeys.get(services);
  if (cached) return cached;
  const candidate = services.sealer.seal(randomBytes(32), DECOY_KEY_CONTEXT);
  const sealed = await services.store.settings.setIfAbsent(DECOY_KEY_SETTING, candidate);
  const key = services.sealer.open(sealed, DECOY_KEY_CONTEXT);
  if (!key) throw new Error('the stored SRP decoy key fails to open (wrong master key?)');
  decoyKeys.set(services, key);
  return key;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version-4-shaped UUID made from 32 hex digits of a digest. */
function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The stand-in for a name that matches no user while user-existence errors are prevented. Every
 * part is derived from the pool and the name with a secret, so it is the same on every request and
 * every node, as a real user's are, and no one can tell it from a user's.
 */
export interface DecoyIdentity {
  /** What USER_ID_FOR_SRP shows: the typed name, or a UUID where internal usernames are UUIDs. */
  readonly username: string;
  /** A UUID in the place of the user's `sub`: it sizes sealed state alike and keys the decoy's lockout. */
  readonly sub: string;
  /** The SRP salt, 16 bytes as hex like a real one. */
  readonly salt: string;
}

/** The decoy for a typed name in a pool (see {@link DecoyIdentity}). */
export async function decoyIdentity(services: Services, pool: UserPoolRecord, typed: string): Promise<DecoyIdentity> {
  const key = await decoyKey(services);
  const derive = (purpose: string): string =>
    createHmac('sha256', key)
      .update(`${purpose}\0${pool.id}\0${usernameKey(pool, typed)}`)
      .digest('hex');
  // In pools that sign in with email or phone the internal username is a UUID, never the typed name.
  const username = (pool.config.UsernameAttributes ?? []).length > 0 && !UUID.test(typed) ? uuidFrom(derive('username')) : typed;
  return { username, sub: uuidFrom(derive('sub')), salt: derive('salt').slice(0, 32) };
}
