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
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  keyType: sql`text`,
  timeType: 'bigint',
  serialType: sql`integer`,
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  // The "C" collation orders by code point, so range scans match SQLite's BINARY order.
  keyType: sql`text collate "C"`,
  timeType: 'bigint',
  serialType: sql`bigserial`,
};
