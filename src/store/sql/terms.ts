import type { Kysely } from 'kysely';
import type { Database, TermsRow } from '../schema.js';
import type { TermsRecord, TermsStore } from '../ports.js';
import { atomic } from './atomic.js';

function toRecord(row: TermsRow): TermsRecord {
  return {
    poolId: row.pool_id,
    termsId: row.terms_id,
    clientId: row.client_id,
    termsName: row.terms_name,
    termsSource: row.terms_source,
    enforcement: row.enforcement,
    links: JSON.parse(row.links) as Record<string, string>,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class SqlTermsStore implements TermsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(terms: TermsRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('terms')
      .values({
        pool_id: terms.poolId,
        terms_id: terms.termsId,
        client_id: terms.clientId,
        terms_name: terms.termsName,
        terms_source: terms.termsSource,
        enforcement: terms.enforcement,
        links: JSON.stringify(terms.links),
        created_at: terms.createdAt,
        updated_at: terms.updatedAt,
      })
      // The unique (pool, client, name) index decides between two racing creates.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(poolId: string, termsId: string): Promise<TermsRecord | undefined> {
    const row = await this.db
      .selectFrom('terms')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('terms_id', '=', termsId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async listForClient(poolId: string, clientId: string): Promise<TermsRecord[]> {
    const rows = await this.db
      .selectFrom('terms')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .orderBy('terms_name')
      .execute();
    return rows.map(toRecord);
  }

  async update(terms: TermsRecord): Promise<'updated' | 'missing' | 'exists'> {
    // The unique index still refuses a rename that races another; the check gives Cognito's answer.
    return atomic(this.db, async (trx) => {
      const clash = await trx
        .selectFrom('terms')
        .select('terms_id')
        .where('pool_id', '=', terms.poolId)
        .where('client_id', '=', terms.clientId)
        .where('terms_name', '=', terms.termsName)
        .where('terms_id', '<>', terms.termsId)
        .executeTakeFirst();
      if (clash) return 'exists';
      const result = await trx
        .updateTable('terms')
        .set({
          terms_name: terms.termsName,
          terms_source: terms.termsSource,
          enforcement: terms.enforcement,
          links: JSON.stringify(terms.links),
          updated_at: terms.updatedAt,
        })
        .where('pool_id', '=', terms.poolId)
        .where('terms_id', '=', terms.termsId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? 'updated' : 'missing';
    });
  }

  async delete(poolId: string, termsId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('terms').where('pool_id', '=', poolId).where('terms_id', '=', termsId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(poolId: string, limit: number, after?: string): Promise<TermsRecord[]> {
    let query = this.db.selectFrom('terms').selectAll().where('pool_id', '=', poolId).orderBy('terms_id').limit(limit);
    if (after !== undefined) query = query.where('terms_id', '>', after);
    return (await query.execute()).map(toRecord);
  }
}
