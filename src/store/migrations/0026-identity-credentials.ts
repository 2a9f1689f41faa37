import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * Identity pools' credentials, second part: the principal (session) tags of each STS session, as
 * JSON text (Cognito Identity's principal tags from the login's claims, or a web identity token's
 * session tags, which policy evaluation reads as `aws:PrincipalTag/<key>`; sessions issued before
 * have none); and IAM's SAML providers (CreateSAMLProvider), whose metadata verifies the SAML
 * responses an identity pool's SamlProviderARNs take as logins. Provider names are unique
 * regardless of case, as roles' are, so rows are keyed by the lower-case name.
 */
export const identityCredentials = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .alterTable('sts_sessions')
      .addColumn('principal_tags', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .createTable('iam_saml_providers')
      .addColumn('name_key', d.keyType, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', d.keyType, (c) => c.notNull())
      .addColumn('uuid', 'text', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('iam_saml_providers_arn').on('iam_saml_providers').columns(['arn']).unique().execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('iam_saml_providers').execute();
    await db.schema.alterTable('sts_sessions').dropColumn('principal_tags').execute();
  },
};
