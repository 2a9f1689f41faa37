import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Distinct statements a node prepares by name; past this, further texts run unnamed. Kysely's SQL
 * is a bounded set of texts (values are parameters), but an `in (…)` list has a text per length,
 * and every name costs memory on each PostgreSQL connection.
 */
const MAX_NAMED_STATEMENTS = 2000;

/**
 * SQLSTATEs after which a name no longer works on its connection: 0A000 "cached plan must not change
 * result type" (another node's migration changed a table under a prepared `select *`) and 26000
 * "prepared statement does not exist" (something deallocated it, such as a pooler's `DISCARD ALL`).
 */
const STALE_STATEMENT = new Set(['0A000', '26000']);

/**
 * A pg.Pool whose clients run each parameterized statement as a named prepared statement, so that
 * PostgreSQL parses and plans a text once per connection instead of at every call (the unnamed
 * statements of the extended protocol are parsed and planned each time). pg remembers per
 * connection what it has prepared and then sends only Bind and Execute.
 *
 * A name holds session state on its server connection, so this is off behind a pooler in
 * transaction mode (`databasePreparedStatements: false`), where the next transaction may run on
 * another server connection. A statement whose name went stale (see STALE_STATEMENT) is run again
 * unnamed when it ran outside a transaction, and its connection is closed rather than returned to
 * the pool, so the next one starts with no prepared statements; inside a transaction the error
 * stands (the transaction is aborted) and the caller's retry gets a fresh connection.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `cognate_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let stale = false;
      let inTransaction = false;
      const run = (sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<unknown>> =>
        client.query(sql, [...parameters]) as unknown as Promise<PostgresQueryResult<unknown>>;
      const query = async (sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<unknown>> => {
        // A cursor (Kysely's streamed queries) passes through as it is.
        if (typeof sql !== 'string') return client.query(sql) as unknown as Promise<PostgresQueryResult<unknown>>;
        const command = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
        if (command === 'begin' || command === 'start') inTransaction = true;
        else if (command === 'commit' || command === 'rollback') inTransaction = false;
        const name = parameters.length === 0 || stale ? undefined : nameOf(sql);
        if (name === undefined) return run(sql, parameters);
        try {
          return (await client.query({ name, text: sql, values: [...parameters] })) as unknown as PostgresQueryResult<unknown>;
        } catch (error) {
          if (!STALE_STATEMENT.has(String((error as { code?: unknown }).code))) throw error;
          stale = true;
          if (inTransaction) throw error;
          return run(sql, parameters);
        }
      };
      return {
        query: query as PostgresPoolClient['query'],
        release: () => client.release(stale ? true : undefined),
      };
    },
    end: () => pool.end(),
  };
}
