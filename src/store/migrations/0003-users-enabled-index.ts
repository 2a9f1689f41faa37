import type { Kysely } from 'kysely';

/**
 * ListUsers' `status` filter (Enabled/Disabled) reads the `enabled` flag; like every other
 * searchable column it gets an index that serves the filter and its keyset pages in key order,
 * so `status = "Disabled"` does not walk the whole pool to find the few disabled users.
 */
export const usersEnabledIndex = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('users_enabled').on('users').columns(['pool_id', 'enabled', 'username_key']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('users_enabled').execute();
  },
};
