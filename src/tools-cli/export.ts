import type { Config } from '../config/schema.js';
import { UsageError, option } from './args.js';

export const EXPORT_USAGE = `Usage: cognate export [--pool <poolId>] --out <file> --key <file|env:NAME>

Writes a user pool (or every pool) to a file: the pool, its app clients with their secrets, groups
and memberships, resource servers, domains, identity providers, and its users with their password
hashes, SRP verifiers, attributes, status, MFA settings and secrets, devices, passkeys and linked
identities. It reads the database directly, so the server may keep running.

Every secret is sealed (AES-256-GCM) under a key derived with scrypt from a passphrase you give,
never the server's master key: \`cognate import\` on the other server needs the same passphrase.
The file is JSON Lines (one record a line), readable by its owner only.

  --pool <poolId>       one pool; every pool when absent
  --out <file>          the file to write
  --key <file|env:NAME> the passphrase: the first line of a file, or an environment variable
                        (at least 12 characters)
`;

/** `cognate export`. */
export async function runExport(args: readonly string[], config: Config): Promise<void> {
  const out = option(args, '--out');
  if (out === undefined) throw new UsageError('cognate export: --out is required', EXPORT_USAGE);
  const keySource = option(args, '--key');
  if (keySource === undefined) throw new UsageError('cognate export: --key is required', EXPORT_USAGE);
  const poolId = option(args, '--pool');
  const { readPassphrase } = await import('../export/export-key.js');
  const passphrase = await readPassphrase(keySource);
  const { boot } = await import('../bootstrap.js');
  const { exportPools } = await import('../export/export.js');
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    const counts = await exportPools(booted.services, { out, passphrase, ...(poolId === undefined ? {} : { poolId }) });
    process.stdout.write(
      `exported ${counts.pool ?? 0} user pools, ${counts.client ?? 0} app clients and ${counts.user ?? 0} users to ${out}\n`,
    );
  } finally {
    await booted.close();
  }
}
