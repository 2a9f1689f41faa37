import type { Kysely } from 'kysely';
import type { Database, DomainRow } from '../schema.js';
import type { DomainKind, DomainRecord, DomainStore } from '../ports.js';

function toRecord(row: DomainRow): DomainRecord {
  return {
    domain: row.domain,
    poolId: row.pool_id,
    kind: row.kind as DomainKind,
    customDomainConfig: row.custom_domain_config ? (JSON.parse(row.custom_domain_config) as DomainRecord['customDomainConfig']) : null,
    managedLoginVersion: Number(row.managed_login_version),
    cloudFrontDistribution: row.cloudfront_distribution,
    version: row.version,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRow(domain: DomainRecord): DomainRow {
  return {
    domain: domain.domain,
    pool_id: domain.poolId,
    kind: domain.kind,
    custom_domain_config: domain.customDomainConfig ? JSON.stringify(domain.customDomainConfig) : null,
    managed_login_version: domain.managedLoginVersion,
    cloudfront_distribution: domain.cloudFrontDistribution,
    version: domain.version,
    created_at: domain.createdAt,
    updated_at: domain.updatedAt,
  };
}

export class SqlDomainStore implements DomainStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(domain: DomainRecord): Promise<boolean> {
    // No conflict target: both the name (primary key) and the pool's one-per-kind index refuse it.
    const result = await this.db
      .insertInto('domains')
      .values(toRow(domain))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async get(domain: string): Promise<DomainRecord | undefined> {
    const row = await this.db.selectFrom('domains').selectAll().where('domain', '=', domain).executeTakeFirst();
    return row && toRecord(row);
  }

  async listForPool(poolId: string): Promise<DomainRecord[]> {
    const rows = await this.db.selectFrom('domains').selectAll().where('pool_id', '=', poolId).orderBy('kind').execute();
    return rows.map(toRecord);
  }

  async update(domain: DomainRecord): Promise<void> {
    const { domain: name, pool_id, created_at, kind, ...rest } = toRow(domain);
    await this.db.updateTable('domains').set(rest).where('domain', '=', name).where('pool_id', '=', pool_id).execute();
    void created_at;
    void kind;
  }

  async delete(poolId: string, domain: string): Promise<void> {
    await this.db.deleteFrom('domains').where('domain', '=', domain).where('pool_id', '=', poolId).execute();
  }
}
