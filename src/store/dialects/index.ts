import { sql, type RawBuilder } from 'kysely';

/**
 * What differs between the engines, as capabilities. Business code never asks which engine it is
 * on; migrations and queries read these flags instead.
 */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** Column type for keys compared with `<`/`>=` (prefix search, keyset pages): bytewise order. */
  readonly keyType: RawBuilder<unknown>;
  /** Column type of epoch-millisecond times. */
  readonly timeType: 'bigint';
  /** Auto-incrementing integer primary key. */
  readonly serialType: RawBuilder<unknown>;
  /**
   * Whether tables live in named schemas (PostgreSQL's `search_path`). Kysely's migrator looks for
   * its bookkeeping tables across every schema of the database unless it is told which one to use,
   * so a second deployment in another schema would find the first one's tables and then fail.
   */
  readonly schemas: boolean;
  /**
   * The integer at `path` in a text column holding JSON (`users.extra`), or NULL where there is
   * none, so a statement can be guarded by a value inside the JSON. The path's names are the
   * code's own constants, never input.
   */
  jsonInteger(column: string, path: readonly string[]): RawBuilder<number | null>;
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  keyType: sql`text`,
  timeType: 'bigint',
  serialType: sql`integer`,
  schemas: false,
  jsonInteger: (column, path) => sql<number | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`,
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  // The "C" collation orders by code point, so range scans match SQLite's BINARY order.
  keyType: sql`text collate "C"`,
  timeType: 'bigint',
  serialType: sql`bigserial`,
  schemas: true,
  jsonInteger: (column, path) => sql<number | null>`(${sql.ref(column)}::json #>> ${sql.lit(`{${path.join(',')}}`)})::bigint`,
};
