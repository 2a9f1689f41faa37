import { createHash } from 'node:crypto';
import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { AssetType, Document, ManagedLoginBrandingType } from '../../../generated/cognito-idp/shapes.js';
import { epochSeconds } from '../../../lib/clock.js';
import type { Services } from '../../../services.js';
import type { ManagedLoginAssetRecord, ManagedLoginAssetWithBytes, ManagedLoginBrandingRecord } from '../../../store/ports.js';
import { COGNITO_DEFAULT_SETTINGS, assetMatchesExtension, mergeSettings } from '../../../domain/managed-login-branding.js';

/**
 * Cognito's answer, measured against the service (floci-io/floci#2869), to a create that names
 * neither UseCognitoProvidedValues nor Settings, or both.
 */
export const PROVIDED_OR_SETTINGS = 'useCognitoProvidedValues or settings should be specified (but not both)';

/** Cognito's answer to an ID of no style of the pool (measured, floci-io/floci#2869). */
export const BRANDING_NOT_FOUND = 'ManagedLoginBranding does not exist.';

/** The style of the pool with this ID, or Cognito's ResourceNotFoundException. */
export async function requireBranding(services: Services, poolId: string, id: string): Promise<ManagedLoginBrandingRecord> {
  const branding = await services.store.managedLoginBrandings.get(poolId, id);
  if (!branding) throw new ResourceNotFoundException(BRANDING_NOT_FOUND);
  return branding;
}

/** Settings as given: a JSON object (the Document type also admits other JSON values, which a style cannot be). */
export function settingsOf(settings: Document | undefined): Record<string, unknown> | undefined {
  if (settings === undefined || settings === null) return undefined;
  if (typeof settings !== 'object' || Array.isArray(settings)) throw new InvalidParameterException('Settings must be a JSON object.');
  return settings as Record<string, unknown>;
}

/** An asset's category and colour mode, of which a style has one asset each. */
export function assetKey(asset: Pick<ManagedLoginAssetRecord, 'category' | 'colorMode'>): string {
  return `${asset.category}\0${asset.colorMode}`;
}

/**
 * The request's assets to store, checked and with their bytes; a later asset of a category and
 * colour mode wins over an earlier one, as a later update would. An asset's bytes must be an
 * image of its Extension. An asset without Bytes names one the style already has (of its category
 * and colour mode), which stays as it is; on a new style there is none to name.
 */
export function checkAssets(
  assets: readonly AssetType[] | undefined,
  existing: readonly ManagedLoginAssetRecord[] = [],
): ManagedLoginAssetWithBytes[] {
  const changed = new Map<string, ManagedLoginAssetWithBytes>();
  const stored = new Set(existing.map(assetKey));
  for (const asset of assets ?? []) {
    const key = assetKey({ category: asset.Category, colorMode: asset.ColorMode });
    if (asset.Bytes === undefined) {
      if (!stored.has(key)) {
        throw new InvalidParameterException(
          `Bytes must be specified for the asset of category ${asset.Category} and color mode ${asset.ColorMode}.`,
        );
      }
      continue;
    }
    const bytes = Buffer.from(asset.Bytes, 'base64');
    if (!assetMatchesExtension(asset.Extension, bytes)) {
      throw new InvalidParameterException(`The asset of category ${asset.Category} is not a valid ${asset.Extension} image.`);
    }
    changed.set(key, {
      category: asset.Category,
      colorMode: asset.ColorMode,
      extension: asset.Extension,
      resourceId: asset.ResourceId ?? null,
      digest: createHash('sha256').update(bytes).digest('hex').slice(0, 32),
      bytes,
    });
  }
  return [...changed.values()];
}

/**
 * The ManagedLoginBrandingType of a style. Assets are always there (an empty list when the style
 * has none) and Settings only when the style has some, as Cognito answers (floci-io/floci#2869);
 * with `merged` (ReturnMergedResources), Settings are Cognito's defaults with the style's own laid
 * over them. Bytes come back in base64, as they were sent.
 */
export async function toBrandingType(
  services: Services,
  record: ManagedLoginBrandingRecord,
  merged: boolean,
): Promise<ManagedLoginBrandingType> {
  const assets = await services.store.managedLoginBrandings.assetsWithBytes(record.poolId, record.id);
  const own = record.settings ?? undefined;
  const settings = merged ? mergeSettings(structuredClone(COGNITO_DEFAULT_SETTINGS) as Record<string, unknown>, own ?? {}) : own;
  return {
    ManagedLoginBrandingId: record.id,
    UserPoolId: record.poolId,
    UseCognitoProvidedValues: record.useCognitoProvidedValues,
    ...(settings !== undefined ? { Settings: settings as Document } : {}),
    Assets: assets.map((asset) => ({
      Category: asset.category,
      ColorMode: asset.colorMode,
      Extension: asset.extension,
      Bytes: asset.bytes.toString('base64'),
      ...(asset.resourceId !== null ? { ResourceId: asset.resourceId } : {}),
    })),
    CreationDate: epochSeconds(record.createdAt),
    LastModifiedDate: epochSeconds(record.updatedAt),
  };
}
