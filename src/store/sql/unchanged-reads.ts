import { deepFreeze } from './row-memo.js';

/** How a store runs its hot reads: through {@link UnchangedReads}, or straight to the database. */
export interface Reads {
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** Every read runs its query: for transactions, and for PostgreSQL tables whose changes nobody announces. */
export const READ_EVERY_TIME: Reads = { read: (_key, load) => load() };

/**
 * Answers repeated reads of the same record without running the query, for as long as `stamp()`
 * has not changed since it was read.
 *
 * Every request reads its pool and its app client, and the token endpoint its resource servers;
 * those queries cost more than the rest of a refresh or client_credentials request besides signing.
 * Two stamps exist (OpenDatabase):
 * - announcedChangeStamp, for the tables of 0027-change-notifications (pools, clients, resource
 *   servers, gateway APIs, IAM): it changes with this connection's writes to them, counted as they
 *   run, and with every change anyone else makes. On SQLite that is `PRAGMA data_version`, which
 *   changes when another connection (another worker process, the CLI) commits anything; on
 *   PostgreSQL the notifications of the tables' triggers, and a lease.
 * - changeStamp (SQLite), for other tables read this way (identities, STS sessions): it changes
 *   with any write at all.
 * Both only ever grow. So a value is reused only while what it was read from is as it was, and a
 * change made anywhere is seen by the next read, as without the cache.
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
