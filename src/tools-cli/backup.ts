import type { Config } from '../config/schema.js';
import { UsageError, option } from './args.js';

export const BACKUP_USAGE = `Usage: cognate backup --out <file>

Copies the SQLite database (COGNATE_DATABASE_URL) to a new file with SQLite's online backup, while
servers keep serving: the copy is of one moment, checked, and readable by its owner only. Keep the
master key with it (COGNATE_MASTER_KEY, or master.key in the data folder): without it the copy's
secrets do not open. See docs/operations.md for restoring.
`;

/** `cognate backup --out <file>`. */
export async function runBackup(args: readonly string[], config: Config): Promise<void> {
  const out = option(args, '--out');
  if (out === undefined) throw new UsageError('cognate backup: --out is required', BACKUP_USAGE);
  const { backupSqlite } = await import('../store/backup.js');
  const result = await backupSqlite(config.databaseUrl, out, config.databaseBusyTimeout);
  process.stdout.write(`backed up ${result.pages} pages (${result.bytes} bytes) to ${out}\n`);
}
