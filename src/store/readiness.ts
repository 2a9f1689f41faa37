import type { Services } from '../services.js';
import type { Sealer } from '../crypto/sealing.js';
import type { Store } from './ports.js';
import { isStorageUnavailable } from './faults.js';

/** The setting holding a value sealed under the master key on first start. */
const CANARY_SETTING = 'master-key-canary';
/** Readiness writes this setting, proving the database takes writes. */
const WRITE_CHECK_SETTING = 'ready-check';

/** What `/health/ready` reports; a reason names the failing part, never a secret. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Seals a canary under the master key on first start (kept from then on), so readiness can tell
 * a master key that no longer opens what is stored. Returns whether the current key opens it.
 * On a database that had secrets before the canary existed, the first start with this code
 * seals it under whatever key that start has.
 */
export async function sealCanary(store: Store, sealer: Sealer): Promise<boolean> {
  const stored = await store.settings.setIfAbsent(CANARY_SETTING, sealer.seal('cognate', CANARY_SETTING));
  return sealer.openString(stored, CANARY_SETTING) === 'cognate';
}

/**
 * Whether this node can serve: the database takes a write (a lock held elsewhere past the busy
 * timeout, a read-only or unreachable database all fail it) and the master key opens the canary
 * sealed at first start (a wrong key would fail every token and every sealed secret).
 */
export async function checkReadiness(services: Services): Promise<Readiness> {
  const { store, sealer, clock } = services;
  try {
    await store.settings.put(WRITE_CHECK_SETTING, String(clock.now()));
    const canary = await store.settings.get(CANARY_SETTING);
    if (canary !== undefined && sealer.openString(canary, CANARY_SETTING) !== 'cognate') {
      return { ready: false, reason: 'the master key does not open the stored secrets' };
    }
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: isStorageUnavailable(error) ? 'the database is busy or unavailable' : 'the database fails' };
  }
}
