import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Federation: the pool's upstream identity providers, the IdpIdentifiers that route to them, and
 * the upstream identities linked to native users (AdminLinkProviderForUser).
 *
 * A provider's details are sealed (they hold client_secret and SAML signing keys). Identifiers get
 * a table of their own so that the primary key keeps each one unique in its pool and serves the
 * `idp_identifier` lookup; the provider row keeps a copy for describing it without a join.
 */
export const identityProviders = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('identity_providers')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('name', d.keyType, (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('attribute_mapping', 'text', (c) => c.notNull())
      .addColumn('idp_identifiers', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_providers_pk', ['pool_id', 'name'])
      .execute();

    await db.schema
      .createTable('identity_provider_identifiers')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('identifier', d.keyType, (c) => c.notNull())
      .addColumn('provider_name', d.keyType, (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_provider_identifiers_pk', ['pool_id', 'identifier'])
      .execute();
    // Replacing or deleting a provider's identifiers finds them by provider.
    await db.schema
      .createIndex('identity_provider_identifiers_provider')
      .on('identity_provider_identifiers')
      .columns(['pool_id', 'provider_name'])
      .execute();

    await db.schema
      .createTable('linked_identities')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('provider_name', d.keyType, (c) => c.notNull())
      .addColumn('attribute_name', d.keyType, (c) => c.notNull())
      .addColumn('attribute_value', d.keyType, (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      // The key is the federated sign-in lookup: which user does this upstream identity sign in as.
      .addPrimaryKeyConstraint('linked_identities_pk', ['pool_id', 'provider_name', 'attribute_name', 'attribute_value'])
      .execute();
    // A user's links: the `identities` attribute, and deleting them with the user.
    await db.schema.createIndex('linked_identities_user').on('linked_identities').columns(['pool_id', 'username_key']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('linked_identities').execute();
    await db.schema.dropTable('identity_provider_identifiers').execute();
    await db.schema.dropTable('identity_providers').execute();
  },
};
