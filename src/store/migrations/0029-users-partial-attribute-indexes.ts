import { sql, type Kysely } from 'kysely';

/** The optional attributes ListUsers filters on, each with an index `(pool_id, <column>, username_key)`. */
const OPTIONAL_COLUMNS = ['email_key', 'phone_number', 'preferred_username_key', 'name_key', 'given_name_key', 'family_name_key'];

/**
 * The indexes of the optional attributes hold only the users that have the attribute
 * (`where <column> is not null`). A user without it never matches a filter on it (every `=`, `^=`
 * and cursor bound compares the column, and a comparison with null is never true), so the entry
 * was dead weight: yet every insert of such a user wrote it, and a bulk import wrote three to six
 * of them per row. Both engines use a partial index for a query that compares its column (the
 * comparison implies `is not null`), so ListUsers' filters and pages keep their index ranges.
 */
export const usersPartialAttributeIndexes = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of OPTIONAL_COLUMNS) {
      await db.schema.dropIndex(`users_${column}`).execute();
      await db.schema
        .createIndex(`users_${column}`)
        .on('users')
        .columns(['pool_id', column, 'username_key'])
        .where(sql.ref(column), 'is not', null)
        .execute();
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of OPTIONAL_COLUMNS) {
      await db.schema.dropIndex(`users_${column}`).execute();
      await db.schema.createIndex(`users_${column}`).on('users').columns(['pool_id', column, 'username_key']).execute();
    }
  },
};
