import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

export interface BackupResult {
  /** The database's pages copied. */
  pages: number;
  bytes: number;
}

/**
 * A consistent copy of a SQLite database while servers keep using it, with SQLite's online backup
 * API (better-sqlite3's `backup`): pages are copied a step at a time between which servers keep
 * reading and writing, and a write by another connection between two steps makes the copy start
 * again from the first page, so what is copied is the database of one moment. The copy
 * is written beside `out` and renamed once `PRAGMA quick_check` passes on it, readable by its owner
 * only (it holds password hashes and sealed secrets, like the database).
 *
 * @see https://www.sqlite.org/backup.html
 */
export async function backupSqlite(databaseUrl: string, out: string, busyTimeoutMs = 5000): Promise<BackupResult> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('cognate backup copies a SQLite database; back PostgreSQL up with pg_dump or its own tools (see docs/operations.md)');
  }
  const file = databaseUrl.replace(/^sqlite:/, '');
  if (file === ':memory:') throw new Error('an in-memory database has nothing to back up');
  if (!existsSync(file)) throw new Error(`${file}: no such database`);
  if (existsSync(out)) throw new Error(`${out} already exists; choose a new file`);
  const partial = `${out}.partial`;
  const source = new SQLite(file, { fileMustExist: true });
  try {
    source.pragma(`busy_timeout = ${String(Math.trunc(busyTimeoutMs))}`);
    const metadata = await source.backup(partial);
    const copy = new SQLite(partial, { fileMustExist: true });
    let pageSize: number;
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy fails SQLite's quick_check: ${String(check)}`);
      // One file: the copy is not left in WAL mode with -wal and -shm files beside it.
      copy.pragma('journal_mode = DELETE');
      pageSize = copy.pragma('page_size', { simple: true }) as number;
    } finally {
      copy.close();
    }
    chmodSync(partial, 0o600);
    renameSync(partial, out);
    return { pages: metadata.totalPages, bytes: metadata.totalPages * pageSize };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}
