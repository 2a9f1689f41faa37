import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Identity pools' principal tag maps (SetPrincipalTagAttributeMap, "attributes for access
 * control"): one row per pool and provider, keyed by the provider's name in Cognito's form, with
 * whether the default mappings apply and the provider's own tag → claim map as JSON.
 */
export const principalTagMaps = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('principal_tag_maps')
      .addColumn('identity_pool_id', d.keyType, (c) => c.notNull())
      .addColumn('provider_name', d.keyType, (c) => c.notNull())
      .addColumn('use_defaults', 'integer', (c) => c.notNull())
      .addColumn('principal_tags', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('principal_tag_maps_pk', ['identity_pool_id', 'provider_name'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('principal_tag_maps').execute();
  },
};
