import { deepFreeze } from './row-memo.js';

/** How a store runs its hot reads: through {@link UnchangedReads}, or straight to the database. */
export interface Reads {
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** Every read runs its query: for transactions, and for PostgreSQL tables whose changes nobody announces. */
export const READ_EVERY_TIME: Reads = { read: (_key, load) => load() };

/**
 * Answers repeated reads of the same record without running the query, for as long as nothing at
 * all has been written to the database since it was read.
 *
 * Every request reads its pool and its app client, and the token endpoint its resource servers;
 * on SQLite those queries cost more than the rest of a refresh or client_credentials request
 * besides signing. `stamp()` changes whenever any row of the database changes (OpenDatabase's
 * changeStamp: this connection's writes, counted as they run, and `PRAGMA data_version`, which
 * changes when another connection such as another worker process or the CLI commits). Both parts
 * only ever grow. So a value is reused only while the database is exactly as it was when the value
 * was read, and a change made anywhere is seen by the next read, as without the cache. No table
 * needs to announce its writes; any write simply empties the cache.
 *
 * On PostgreSQL the stamp covers only the tables whose changes the database announces (see
 * PostgresChangeListener): this node's writes and commits, the notifications heard, and a lease.
 *
 * Only the store outside transactions uses it: a read inside a transaction may see writes that are
 * rolled back, and the counters cannot tell.
 */
export class UnchangedReads implements Reads {
  private stampOfEntries: string | undefined;
  private readonly entries = new Map<string, unknown>();

  constructor(
    private readonly stamp: () => string,
    private readonly maxEntries = 4096,
  ) {}

  /** The value of `load()` for `key`, reused while the database is unchanged. Values are frozen. */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const before = this.stamp();
    if (before !== this.stampOfEntries) {
      this.entries.clear();
      this.stampOfEntries = before;
    } else if (this.entries.has(key)) {
      return this.entries.get(key) as T;
    }
    const value = deepFreeze(await load());
    // Kept only if nothing was written while the query ran: the stamp taken before the read then
    // still describes what was read. (The stamp only grows, so the entries are still `before`'s.)
    if (this.stamp() === before) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }
}
