import type { Kysely } from 'kysely';

/**
 * The principal (session) tags of each STS session, as JSON text: Cognito Identity's principal
 * tags from the login's claims, or a web identity token's session tags, which policy evaluation
 * reads as `aws:PrincipalTag/<key>`. Sessions issued before have none.
 */
export const sessionPrincipalTags = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('sts_sessions')
      .addColumn('principal_tags', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sts_sessions').dropColumn('principal_tags').execute();
  },
};
