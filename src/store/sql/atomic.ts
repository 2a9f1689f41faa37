import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Runs `fn` atomically: in the caller's transaction when there is one, else in a new one. */
export function atomic<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
