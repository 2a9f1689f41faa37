import { sql, type Kysely } from 'kysely';
import type { Database, IamPolicyRow, IamRoleRow, IamSamlProviderRow } from '../schema.js';
import type { IamPolicyRecord, IamRolePolicies, IamRolePolicyRecord, IamRoleRecord, IamSamlProviderRecord, IamStore } from '../ports.js';
import type { Reads } from './unchanged-reads.js';

/** IAM's names are unique regardless of case: rows are keyed by the lower-case form. */
function keyOf(name: string): string {
  return name.toLowerCase();
}

function roleOf(row: IamRoleRow): IamRoleRecord {
  return {
    name: row.name,
    path: row.path,
    id: row.id,
    arn: row.arn,
    trustPolicy: row.trust_policy,
    description: row.description ?? undefined,
    maxSessionDuration: Number(row.max_session_duration),
    createdAt: Number(row.created_at),
  };
}

function policyOf(row: IamPolicyRow): IamPolicyRecord {
  return {
    name: row.name,
    path: row.path,
    id: row.id,
    arn: row.arn,
    document: row.document,
    description: row.description ?? undefined,
    createdAt: Number(row.created_at),
  };
}

/** `path` starts with `prefix`, as a plain string comparison (no LIKE wildcards to escape). */
function pathStartsWith(prefix: string) {
  return sql<boolean>`substr(path, 1, ${prefix.length}) = ${prefix}`;
}

function samlProviderOf(row: IamSamlProviderRow): IamSamlProviderRecord {
  return { name: row.name, arn: row.arn, uuid: row.uuid, metadata: row.metadata, createdAt: Number(row.created_at) };
}

export class SqlIamStore implements IamStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** Outside transactions on SQLite: a role and its policies, read on every IAM-authorized request, reused while the database is unchanged. */
    private readonly reads: Reads,
  ) {}

  async createSamlProvider(provider: IamSamlProviderRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('iam_saml_providers')
      .values({
        name_key: keyOf(provider.name),
        name: provider.name,
        arn: provider.arn,
        uuid: provider.uuid,
        metadata: provider.metadata,
        created_at: provider.createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getSamlProviderByArn(arn: string): Promise<IamSamlProviderRecord | undefined> {
    const row = await this.db.selectFrom('iam_saml_providers').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && samlProviderOf(row);
  }

  async deleteSamlProviderByArn(arn: string): Promise<boolean> {
    const result = await this.db.deleteFrom('iam_saml_providers').where('arn', '=', arn).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async createRole(role: IamRoleRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('iam_roles')
      .values({
        name_key: keyOf(role.name),
        name: role.name,
        path: role.path,
        id: role.id,
        arn: role.arn,
        trust_policy: role.trustPolicy,
        description: role.description ?? null,
        max_session_duration: role.maxSessionDuration,
        created_at: role.createdAt,
      })
      .onConflict((oc) => oc.column('name_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getRole(name: string): Promise<IamRoleRecord | undefined> {
    const row = await this.db.selectFrom('iam_roles').selectAll().where('name_key', '=', keyOf(name)).executeTakeFirst();
    return row && roleOf(row);
  }

  getRoleByArn(arn: string): Promise<IamRoleRecord | undefined> {
    return this.reads.read(`iam-role\0${arn}`, async () => {
      const row = await this.db.selectFrom('iam_roles').selectAll().where('arn', '=', arn).executeTakeFirst();
      return row && roleOf(row);
    });
  }

  async updateTrustPolicy(name: string, document: string): Promise<boolean> {
    const result = await this.db
      .updateTable('iam_roles')
      .set({ trust_policy: document })
      .where('name_key', '=', keyOf(name))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteRole(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('iam_roles').where('name_key', '=', keyOf(name)).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listRoles(pathPrefix: string, limit: number, after?: string): Promise<IamRoleRecord[]> {
    let query = this.db.selectFrom('iam_roles').selectAll().where(pathStartsWith(pathPrefix)).orderBy('name_key').limit(limit);
    if (after !== undefined) query = query.where('name_key', '>', keyOf(after));
    return (await query.execute()).map(roleOf);
  }

  async putRolePolicy(policy: IamRolePolicyRecord): Promise<void> {
    const values = {
      role_key: keyOf(policy.roleName),
      name_key: keyOf(policy.policyName),
      name: policy.policyName,
      document: policy.document,
    };
    await this.db
      .insertInto('iam_role_policies')
      .values(values)
      .onConflict((oc) => oc.columns(['role_key', 'name_key']).doUpdateSet({ name: values.name, document: values.document }))
      .execute();
  }

  async getRolePolicy(roleName: string, policyName: string): Promise<IamRolePolicyRecord | undefined> {
    const row = await this.db
      .selectFrom('iam_role_policies')
      .select(['name', 'document'])
      .where('role_key', '=', keyOf(roleName))
      .where('name_key', '=', keyOf(policyName))
      .executeTakeFirst();
    return row && { roleName, policyName: row.name, document: row.document };
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('iam_role_policies')
      .where('role_key', '=', keyOf(roleName))
      .where('name_key', '=', keyOf(policyName))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listRolePolicies(roleName: string, limit: number, after?: string): Promise<string[]> {
    let query = this.db
      .selectFrom('iam_role_policies')
      .select('name')
      .where('role_key', '=', keyOf(roleName))
      .orderBy('name_key')
      .limit(limit);
    if (after !== undefined) query = query.where('name_key', '>', keyOf(after));
    return (await query.execute()).map((row) => row.name);
  }

  async createPolicy(policy: IamPolicyRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('iam_policies')
      .values({
        name_key: keyOf(policy.name),
        name: policy.name,
        path: policy.path,
        id: policy.id,
        arn: policy.arn,
        document: policy.document,
        description: policy.description ?? null,
        created_at: policy.createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getPolicy(arn: string): Promise<IamPolicyRecord | undefined> {
    const row = await this.db.selectFrom('iam_policies').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && policyOf(row);
  }

  async attachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.db
      .insertInto('iam_role_attachments')
      .values({ role_key: keyOf(roleName), policy_arn: policyArn })
      .onConflict((oc) => oc.columns(['role_key', 'policy_arn']).doNothing())
      .execute();
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('iam_role_attachments')
      .where('role_key', '=', keyOf(roleName))
      .where('policy_arn', '=', policyArn)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listAttachedRolePolicies(roleName: string, pathPrefix: string, limit: number, after?: string): Promise<IamPolicyRecord[]> {
    let query = this.db
      .selectFrom('iam_role_attachments')
      .innerJoin('iam_policies', 'iam_policies.arn', 'iam_role_attachments.policy_arn')
      .selectAll('iam_policies')
      .where('iam_role_attachments.role_key', '=', keyOf(roleName))
      .where(pathStartsWith(pathPrefix))
      .orderBy('iam_policies.arn')
      .limit(limit);
    if (after !== undefined) query = query.where('iam_policies.arn', '>', after);
    return (await query.execute()).map(policyOf);
  }

  rolePolicies(roleName: string): Promise<IamRolePolicies> {
    return this.reads.read(`iam-role-policies\0${keyOf(roleName)}`, () => this.readRolePolicies(roleName));
  }

  private async readRolePolicies(roleName: string): Promise<IamRolePolicies> {
    const [inline, attached] = await Promise.all([
      this.db
        .selectFrom('iam_role_policies')
        .select(['name', 'document'])
        .where('role_key', '=', keyOf(roleName))
        .orderBy('name_key')
        .execute(),
      this.listAttachedRolePolicies(roleName, '/', Number.MAX_SAFE_INTEGER),
    ]);
    return { inline: inline.map((row) => ({ roleName, policyName: row.name, document: row.document })), attached };
  }
}
