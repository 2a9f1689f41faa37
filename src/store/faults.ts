/**
 * Errors that say the database is busy or out of reach, rather than that a query is wrong: a
 * request that meets one may well succeed when tried again.
 *
 * - SQLite (better-sqlite3's `code`): the write lock held past the busy timeout (`SQLITE_BUSY*`),
 *   a table locked within the process, and a file that cannot be opened, written or grown.
 * - PostgreSQL (SQLSTATE): connection failures (class 08), insufficient resources (53), operator
 *   intervention such as a shutdown (57P01-57P03), serialization failures and deadlocks (40001,
 *   40P01), a lock not available (55P03), and a read-only transaction on a standby (25006).
 * - The socket to PostgreSQL failing, and the pool's wait for a connection timing out.
 *
 * @see https://www.sqlite.org/rescode.html
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/;
const POSTGRES_UNAVAILABLE = /^(08|53|57P0[123]$|40001$|40P01$|55P03$|25006$)/;
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** node-postgres's own texts, which carry no code. */
const POOL_UNAVAILABLE = /timeout exceeded when trying to connect|Connection terminated/i;

/** Whether `error` says the database is busy or unavailable (so the request may be retried). */
export function isStorageUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SQLITE_UNAVAILABLE.test(code) || SOCKET_UNAVAILABLE.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_UNAVAILABLE.test(code)) return true;
  }
  return typeof message === 'string' && POOL_UNAVAILABLE.test(message);
}

/** The storage fault's code for a log line (never its message, which may quote a query's values). */
export function storageFaultCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unavailable';
}
