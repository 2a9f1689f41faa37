import type { Kysely } from 'kysely';
import type { Database, UiCustomizationRow } from '../schema.js';
import type { LogoContentType, UiCustomizationLogo, UiCustomizationRecord, UiCustomizationStore } from '../ports.js';

/** Every column but the logo's bytes, which only the logo endpoint reads. */
const META = ['pool_id', 'client_id', 'css', 'logo_type', 'logo_digest', 'css_version', 'created_at', 'updated_at'] as const;

function toRecord(row: Omit<UiCustomizationRow, 'logo'>): UiCustomizationRecord {
  return {
    poolId: row.pool_id,
    clientId: row.client_id,
    css: row.css,
    logoType: row.logo_type as LogoContentType | null,
    logoDigest: row.logo_digest,
    cssVersion: row.css_version,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class SqlUiCustomizationStore implements UiCustomizationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(record: UiCustomizationRecord, logo: Buffer | null): Promise<void> {
    const values = {
      css: record.css,
      logo_type: logo ? record.logoType : null,
      logo_digest: logo ? record.logoDigest : null,
      logo: logo ? logo.toString('base64') : null,
      css_version: record.cssVersion,
      updated_at: record.updatedAt,
    };
    await this.db
      .insertInto('ui_customizations')
      .values({ pool_id: record.poolId, client_id: record.clientId, created_at: record.createdAt, ...values })
      // The first set of a client keeps its creation date through every later one.
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet(values))
      .execute();
  }

  async get(poolId: string, clientId: string): Promise<UiCustomizationRecord | undefined> {
    const row = await this.db
      .selectFrom('ui_customizations')
      .select(META)
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async getLogo(poolId: string, clientId: string): Promise<UiCustomizationLogo | undefined> {
    const row = await this.db
      .selectFrom('ui_customizations')
      .select(['logo', 'logo_type', 'logo_digest'])
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (!row || row.logo === null || row.logo_type === null || row.logo_digest === null) return undefined;
    return { contentType: row.logo_type as LogoContentType, digest: row.logo_digest, bytes: Buffer.from(row.logo, 'base64') };
  }

  async delete(poolId: string, clientId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('ui_customizations')
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
