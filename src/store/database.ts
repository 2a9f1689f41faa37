import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
  ValueNode,
  sql,
  type DatabaseConnection,
  type Driver,
  type LimitNode,
  type LogEvent,
  type QueryCompiler,
  type SqliteDatabase,
} from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.js';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './dialects/index.js';
import { migrationProvider } from './migrations/index.js';
import { ANNOUNCED_TABLES } from './migrations/0027-change-notifications.js';
import { CountingPostgresDialect, LocalWrites, PostgresChangeListener } from './dialects/postgres-changes.js';
import { preparingPool } from './dialects/postgres-prepared.js';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectCapabilities;
  /**
   * SQLite only: a value that changes whenever any row of the database changes, whoever writes it
   * (see UnchangedReads). Read directly on the connection, without waiting for Kysely's turn.
   */
  readonly changeStamp?: () => string;
  /**
   * A value that changes whenever a row of the tables the migration 0027-change-notifications
   * announces changes, whoever writes it. PostgreSQL: this node's writes, the notifications of
   * everyone's commits, and a lease in case one is missed. SQLite: this connection's writes to those
   * tables and `PRAGMA data_version` (any other connection's commit, as changeStamp).
   */
  readonly announcedChangeStamp?: () => string;
  /** PostgreSQL only: the connection that hears other nodes' changes. */
  readonly changeListener?: PostgresChangeListener;
  /** PostgreSQL only: the connection pool, whose use the metrics report. */
  readonly connectionPool?: pg.Pool;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface OpenDatabaseOptions {
  poolSize?: number;
  /**
   * Milliseconds a query waits for the database: SQLite's busy timeout (another process's write
   * lock; better-sqlite3 waits synchronously, so the node answers nothing meanwhile) and
   * PostgreSQL's wait for a pooled connection. 5000 unless given.
   */
  busyTimeout?: number;
  /**
   * Called with every executed query (Kysely's `log`): its SQL, parameters and duration. Tests
   * count queries per operation with it to catch N+1 patterns; off by default.
   */
  log?: (event: LogEvent) => void;
  /**
   * PostgreSQL: the longest a node reuses a cached read of a pool, client or role, in milliseconds,
   * however sure it is that nothing changed: the bound on a stale read should a change
   * notification be lost in a way the listening connection cannot tell. 5000 unless given.
   */
  readLeaseMs?: number;
  /**
   * PostgreSQL: run parameterized statements as named prepared statements (postgres-prepared.ts).
   * On unless given; off behind a pooler in transaction mode, which does not keep them.
   */
  preparedStatements?: boolean;
}

/** Distinct SQL texts whose prepared statements a SQLite connection keeps. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * better-sqlite3 with its prepared statements cached by SQL text. Kysely prepares a statement on
 * every execution, and preparing costs more than running most of our queries.
 *
 * Kysely runs each statement in the same synchronous step as preparing it, so counting the
 * statements that may write (`readonly` false, RETURNING ones included) as they are prepared counts
 * this connection's writes, at no cost: `writes()` tells whether any happened since it was last read.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase & { writes(): number } {
  const cache = new Map<string, SQLite.Statement>();
  let writes = 0;
  return {
    close: () => database.close(),
    writes: () => writes,
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (!statement) {
        statement = database.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, statement);
      }
      if (!statement.readonly) writes++;
      return statement;
    },
  };
}

/**
 * SQLite transactions that take the write lock when they begin (`BEGIN IMMEDIATE`). Several
 * processes may share the file (`workers` above 1, or the CLI beside a server): a deferred
 * transaction that has read and then writes fails with SQLITE_BUSY at once if another process
 * wrote in between, without waiting out the busy timeout. Every transaction here writes.
 *
 * @see https://www.sqlite.org/lang_transaction.html
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Writes an integer LIMIT into the SQL text instead of binding it. SQLite (as better-sqlite3 builds
 * it, with SQLITE_ENABLE_STAT4) lets the planner look at a bound LIMIT, which marks the prepared
 * statement to be prepared again on every run: about 12 µs each time, ten times what our point
 * queries cost (measured on the groups-of-a-user query every token issue runs). The value is a
 * safe integer, so writing it is as safe as binding it; the few distinct page sizes stay within the
 * statement cache.
 */
class InlineLimitSqliteCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit;
    if (ValueNode.is(limit) && Number.isSafeInteger(limit.value)) {
      this.append(`limit ${String(limit.value)}`);
    } else {
      super.visitLimit(node);
    }
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  override createQueryCompiler(): QueryCompiler {
    return new InlineLimitSqliteCompiler();
  }
}

/**
 * Creates the SQLite file, and the folders above it that do not exist, readable by their owner
 * only (0600 and 0700, whatever the umask adds): the database holds password hashes and sealed
 * secrets. SQLite gives the `-wal` and `-shm` files it creates the database file's mode. An
 * existing file keeps the mode its owner gave it.
 */
function createOwnerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Opens the store: PostgreSQL for a `postgres://` URL, otherwise an embedded SQLite file (WAL).
 * `sqlite::memory:` gives a private in-memory database.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): OpenDatabase {
  const log = options.log === undefined ? {} : { log: options.log };
  const busyTimeout = options.busyTimeout ?? 5000;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: busyTimeout });
    const writes = new LocalWrites(new Set(ANNOUNCED_TABLES));
    const queries = options.preparedStatements === false ? pool : preparingPool(pool);
    const db = new Kysely<Database>({ dialect: new CountingPostgresDialect({ pool: queries }, writes), plugins: [writes], ...log });
    const changeListener = new PostgresChangeListener(url);
    const leaseMs = options.readLeaseMs ?? 5000;
    let unheard = 0;
    // While the listener is not listening, a stamp never repeats: nothing is reused.
    const announcedChangeStamp = (): string => {
      const heard = changeListener.heard();
      if (heard === undefined) return `unheard ${String(++unheard)}`;
      return `${String(writes.count)}:${heard}:${String(Math.floor(Date.now() / leaseMs))}`;
    };
    return {
      db,
      dialect: postgresCapabilities,
      announcedChangeStamp,
      changeListener,
      connectionPool: pool,
      close: async () => {
        await changeListener.close();
        await db.destroy();
      },
    };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') createOwnerOnly(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${String(Math.trunc(busyTimeout))}`);
  sqlite.pragma('foreign_keys = ON');
  // A statement that writes many rows keeps the pages it changes in a statement journal, to undo
  // the statement alone if it fails; in a file that is a write and a read of each page (a bulk
  // insert of 500 users wrote hundreds). In memory it is a copy, freed when the statement ends.
  sqlite.pragma('temp_store = MEMORY');
  const cached = withStatementCache(sqlite);
  const announcedWrites = new LocalWrites(new Set(ANNOUNCED_TABLES));
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(cached), plugins: [announcedWrites], ...log });
  // This connection's writes, counted as Kysely runs them, and `PRAGMA data_version`, which changes
  // when another connection commits. One statement per stamp: under load each costs a few µs.
  const othersCommits = sqlite.prepare<[], number>('pragma data_version').pluck();
  const changeStamp = (): string => `${cached.writes()}:${othersCommits.get()!}`;
  // The same for the announced tables alone, so that a sign-in's writes (a refresh token, an audit
  // event, a counter) leave the pool and the client it read in the cache. Another process's commit
  // still empties it, whatever it wrote. No commit count is needed, unlike PostgreSQL's: the one
  // connection is Kysely's turn by turn, so no read runs between a transaction's writes and its end.
  const announcedChangeStamp = (): string => `${announcedWrites.count}:${othersCommits.get()!}`;
  return { db, dialect: sqliteCapabilities, changeStamp, announcedChangeStamp, close: () => db.destroy() };
}

async function migratorFor(store: OpenDatabase): Promise<Migrator> {
  const migrationTableSchema = await migrationSchema(store);
  return new Migrator({
    db: store.db,
    provider: migrationProvider(store.dialect),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrateToLatest(store: OpenDatabase): Promise<void> {
  const { error } = await (await migratorFor(store)).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/**
 * Migrates up or down to the migration `name` (e.g. `0027-change-notifications`), as a database
 * of that version was; tests use it to check what a later migration does to existing rows.
 */
export async function migrateTo(store: OpenDatabase, name: string): Promise<void> {
  const { error } = await (await migratorFor(store)).migrateTo(name);
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
