import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/**
 * The IAM subset: roles (with their trust policies), their inline policies, managed policies and
 * the attachments between the two. IAM's names are unique regardless of case, so each is keyed by
 * its lower-case form and keeps its own spelling beside it.
 */
export const iam = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('iam_roles')
      .addColumn('name_key', d.keyType, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('arn', d.keyType, (c) => c.notNull())
      .addColumn('trust_policy', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('max_session_duration', 'integer', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    // STS and policy evaluation find a role by the ARN a caller names.
    await db.schema.createIndex('iam_roles_arn').on('iam_roles').columns(['arn']).execute();

    await db.schema
      .createTable('iam_role_policies')
      .addColumn('role_key', d.keyType, (c) => c.notNull())
      .addColumn('name_key', d.keyType, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_role_policies_pk', ['role_key', 'name_key'])
      .execute();

    await db.schema
      .createTable('iam_policies')
      .addColumn('name_key', d.keyType, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('arn', d.keyType, (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('iam_policies_arn').on('iam_policies').columns(['arn']).unique().execute();

    await db.schema
      .createTable('iam_role_attachments')
      .addColumn('role_key', d.keyType, (c) => c.notNull())
      .addColumn('policy_arn', d.keyType, (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_role_attachments_pk', ['role_key', 'policy_arn'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('iam_role_attachments').execute();
    await db.schema.dropTable('iam_policies').execute();
    await db.schema.dropTable('iam_role_policies').execute();
    await db.schema.dropTable('iam_roles').execute();
  },
};
