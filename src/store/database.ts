import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.js';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './dialects/index.js';
import { migrationProvider } from './migrations/index.js';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectCapabilities;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number(value));

/**
 * Opens the store: PostgreSQL for a `postgres://` URL, otherwise an embedded SQLite file (WAL).
 * `sqlite::memory:` gives a private in-memory database.
 */
export function openDatabase(url: string, options: { poolSize?: number } = {}): OpenDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: postgresCapabilities, close: () => db.destroy() };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: sqliteCapabilities, close: () => db.destroy() };
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrateToLatest(store: OpenDatabase): Promise<void> {
  const migrationTableSchema = await migrationSchema(store);
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider(store.dialect),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/**
 * The schema the migration bookkeeping belongs in: the connection's current schema (the first of
 * its `search_path` that exists), so each schema of a shared database migrates on its own.
 */
async function migrationSchema(store: OpenDatabase): Promise<string | undefined> {
  if (!store.dialect.schemas) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(store.db);
  return rows[0]?.schema ?? undefined;
}
