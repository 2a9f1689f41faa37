import type { Kysely } from 'kysely';
import type { Database, ManagedLoginAssetRow, ManagedLoginBrandingRow } from '../schema.js';
import type {
  ManagedLoginAssetRecord,
  ManagedLoginAssetWithBytes,
  ManagedLoginBrandingRecord,
  ManagedLoginBrandingStore,
} from '../ports.js';

/** Every asset column but the bytes, which only Describe and the asset endpoint read. */
const ASSET_META = ['category', 'color_mode', 'extension', 'resource_id', 'digest'] as const;

function toAsset(row: Pick<ManagedLoginAssetRow, (typeof ASSET_META)[number]>): ManagedLoginAssetRecord {
  return {
    category: row.category as ManagedLoginAssetRecord['category'],
    colorMode: row.color_mode as ManagedLoginAssetRecord['colorMode'],
    extension: row.extension as ManagedLoginAssetRecord['extension'],
    resourceId: row.resource_id,
    digest: row.digest,
  };
}

function toAssetRow(poolId: string, brandingId: string, asset: ManagedLoginAssetWithBytes): ManagedLoginAssetRow {
  return {
    pool_id: poolId,
    branding_id: brandingId,
    category: asset.category,
    color_mode: asset.colorMode,
    extension: asset.extension,
    resource_id: asset.resourceId,
    digest: asset.digest,
    bytes: asset.bytes.toString('base64'),
  };
}

export class SqlManagedLoginBrandingStore implements ManagedLoginBrandingStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(record: ManagedLoginBrandingRecord, assets: readonly ManagedLoginAssetWithBytes[]): Promise<boolean> {
    const inserted = await this.db
      .insertInto('managed_login_brandings')
      .values(this.toRow(record))
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await this.putAssets(record, assets);
    return true;
  }

  async update(record: ManagedLoginBrandingRecord, assets: readonly ManagedLoginAssetWithBytes[], replaceAll: boolean): Promise<void> {
    const { use_cognito_provided_values, settings, updated_at } = this.toRow(record);
    await this.db
      .updateTable('managed_login_brandings')
      .set({ use_cognito_provided_values, settings, updated_at })
      .where('pool_id', '=', record.poolId)
      .where('id', '=', record.id)
      .execute();
    if (replaceAll) await this.db.deleteFrom('managed_login_assets').where('branding_id', '=', record.id).execute();
    await this.putAssets(record, assets);
  }

  private async putAssets(record: ManagedLoginBrandingRecord, assets: readonly ManagedLoginAssetWithBytes[]): Promise<void> {
    for (const asset of assets) {
      const row = toAssetRow(record.poolId, record.id, asset);
      const { extension, resource_id, digest, bytes } = row;
      await this.db
        .insertInto('managed_login_assets')
        .values(row)
        .onConflict((oc) => oc.columns(['branding_id', 'category', 'color_mode']).doUpdateSet({ extension, resource_id, digest, bytes }))
        .execute();
    }
  }

  async get(poolId: string, id: string): Promise<ManagedLoginBrandingRecord | undefined> {
    const row = await this.db
      .selectFrom('managed_login_brandings')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && this.withAssets(row);
  }

  async getByClient(poolId: string, clientId: string): Promise<ManagedLoginBrandingRecord | undefined> {
    const row = await this.db
      .selectFrom('managed_login_brandings')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && this.withAssets(row);
  }

  async assetsWithBytes(poolId: string, id: string): Promise<ManagedLoginAssetWithBytes[]> {
    const rows = await this.db
      .selectFrom('managed_login_assets')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('branding_id', '=', id)
      .orderBy('category')
      .orderBy('color_mode')
      .execute();
    return rows.map((row) => ({ ...toAsset(row), bytes: Buffer.from(row.bytes, 'base64') }));
  }

  async getAsset(poolId: string, id: string, category: string, colorMode: string): Promise<ManagedLoginAssetWithBytes | undefined> {
    const row = await this.db
      .selectFrom('managed_login_assets')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('branding_id', '=', id)
      .where('category', '=', category)
      .where('color_mode', '=', colorMode)
      .executeTakeFirst();
    return row && { ...toAsset(row), bytes: Buffer.from(row.bytes, 'base64') };
  }

  async delete(poolId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('managed_login_brandings')
      .where('pool_id', '=', poolId)
      .where('id', '=', id)
      .executeTakeFirst();
    await this.db.deleteFrom('managed_login_assets').where('pool_id', '=', poolId).where('branding_id', '=', id).execute();
    return Number(result.numDeletedRows) > 0;
  }

  private async withAssets(row: ManagedLoginBrandingRow): Promise<ManagedLoginBrandingRecord> {
    const assets = await this.db
      .selectFrom('managed_login_assets')
      .select(ASSET_META)
      .where('pool_id', '=', row.pool_id)
      .where('branding_id', '=', row.id)
      .orderBy('category')
      .orderBy('color_mode')
      .execute();
    return {
      id: row.id,
      poolId: row.pool_id,
      clientId: row.client_id,
      useCognitoProvidedValues: row.use_cognito_provided_values === 1,
      settings: row.settings === null ? null : (JSON.parse(row.settings) as Record<string, unknown>),
      assets: assets.map(toAsset),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  private toRow(record: ManagedLoginBrandingRecord): ManagedLoginBrandingRow {
    return {
      id: record.id,
      pool_id: record.poolId,
      client_id: record.clientId,
      use_cognito_provided_values: record.useCognitoProvidedValues ? 1 : 0,
      settings: record.settings === null ? null : JSON.stringify(record.settings),
      created_at: record.createdAt,
      updated_at: record.updatedAt,
    };
  }
}
