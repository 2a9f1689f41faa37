import type { Config } from '../config/schema.js';
import { boot } from '../bootstrap.js';
import { UsageError, option } from './args.js';

export const KEYS_USAGE = `Usage: cognate keys rotate --pool <poolId>
       cognate keys list --pool <poolId>

  rotate   creates a new ID-token key and access-token key for the pool and retires the previous
           ones: retired keys sign nothing more but stay in the JWKS, so tokens they signed keep
           verifying until they expire. Every node serves the new keys at once in its JWKS and
           verifies tokens signed with them; nodes start signing with them within a minute.
  list     prints the pool's keys (kid, purpose, status, creation time) as JSON; no key material.
`;

/** The `cognate keys` command. */
export async function runKeys(args: readonly string[], config: Config): Promise<void> {
  const action = args[0];
  if (action !== 'rotate' && action !== 'list')
    throw new UsageError(action ? `unknown keys command: ${action}` : 'keys needs a command', KEYS_USAGE);
  const poolId = option(args, '--pool');
  if (!poolId) throw new UsageError('--pool is required', KEYS_USAGE);
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    const { store, keys } = booted.services;
    if (!(await store.pools.get(poolId))) throw new Error(`user pool ${poolId} does not exist`);
    if (action === 'rotate') {
      const before = await store.signingKeys.kids(poolId);
      const created = await keys.rotate(poolId);
      process.stdout.write(
        `rotated the signing keys of ${poolId}: id ${created.id}, access ${created.access}; ${before.length} earlier keys retired (kept in the JWKS)\n`,
      );
    } else {
      const listed = (await store.signingKeys.list(poolId)).map((k) => ({
        kid: k.kid,
        purpose: k.purpose,
        status: k.status,
        createdAt: new Date(k.createdAt).toISOString(),
      }));
      process.stdout.write(JSON.stringify(listed, null, 2) + '\n');
    }
  } finally {
    await booted.close();
  }
}
