import type { Kysely } from 'kysely';

/**
 * Credentials of identity pools: each pool's roles and role mappings (SetIdentityPoolRoles), kept
 * apart from its settings because UpdateIdentityPool replaces those and leaves the roles alone.
 */
export const credentials = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('identity_pools')
      .addColumn('roles', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('identity_pools').dropColumn('roles').execute();
  },
};
