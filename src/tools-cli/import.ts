import type { Config } from '../config/schema.js';
import { UsageError, flag, option } from './args.js';

export const IMPORT_USAGE = `Usage: cognate import <file> --key <file|env:NAME> [--replace]

Loads a file \`cognate export\` wrote into this server's database (SQLite or PostgreSQL), in one
transaction: a file sealed under another passphrase, cut off, or naming a pool that exists changes
nothing. Secrets are sealed again under this server's master key; users sign in with their old
passwords, by password and by SRP, and keep their MFA and devices.

  --key <file|env:NAME> the passphrase the file was exported with
  --replace             delete a pool of the same ID (and everything in it) and import the file's
`;

/** `cognate import <file>`. */
export async function runImport(args: readonly string[], config: Config): Promise<void> {
  const file = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--key');
  if (file === undefined) throw new UsageError('cognate import: the file to import is required', IMPORT_USAGE);
  const keySource = option(args, '--key');
  if (keySource === undefined) throw new UsageError('cognate import: --key is required', IMPORT_USAGE);
  const { readPassphrase } = await import('../export/export-key.js');
  const passphrase = await readPassphrase(keySource);
  const { boot } = await import('../bootstrap.js');
  const { importPools } = await import('../export/import.js');
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    const { pools, counts } = await importPools(booted.services, { file, passphrase, replace: flag(args, '--replace') });
    process.stdout.write(
      `imported ${pools.length} user pools (${pools.join(', ')}), ${counts.client ?? 0} app clients and ${counts.user ?? 0} users\n`,
    );
  } finally {
    await booted.close();
  }
}
