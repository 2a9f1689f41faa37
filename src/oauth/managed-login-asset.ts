import type { Services } from '../services.js';
import type { ManagedLoginAssetRecord } from '../store/ports.js';
import { ASSET_CONTENT_TYPES } from '../domain/managed-login-branding.js';
import { imageNotFound, servedImage } from './branding-logo.js';
import type { HostedRequest, HostedResponse, HostedSite } from './site.js';

/** Where a pool's site serves the image assets of its managed login branding styles. */
export const MANAGED_LOGIN_ASSET_PATH = '/managed-login/asset';

/** A style ID (ManagedLoginBrandingIdType) and the enums' letters; anything else names no asset. */
const STYLE_ID = /^[0-9a-fA-F-]{36}$/;
const ENUM_VALUE = /^[A-Z_]{1,32}$/;

/**
 * The path and query of one asset of a style, below a site's base URL. `v` is the digest of the
 * bytes, so a new image gets a new URL and a cached one never goes stale.
 */
export function managedLoginAssetPath(
  brandingId: string,
  asset: Pick<ManagedLoginAssetRecord, 'category' | 'colorMode' | 'digest'>,
): string {
  const query = new URLSearchParams({ id: brandingId, category: asset.category, mode: asset.colorMode, v: asset.digest });
  return `${MANAGED_LOGIN_ASSET_PATH}?${query.toString()}`;
}

/**
 * GET /managed-login/asset?id=<style>&category=<AssetCategoryType>&mode=<ColorSchemeModeType>&v=<digest>:
 * the bytes of that asset of a style of this pool, with its Extension's content type.
 */
export async function managedLoginAssetEndpoint(services: Services, site: HostedSite, request: HostedRequest): Promise<HostedResponse> {
  const id = request.query.get('id') ?? '';
  const category = request.query.get('category') ?? '';
  const mode = request.query.get('mode') ?? '';
  if (!STYLE_ID.test(id) || !ENUM_VALUE.test(category) || !ENUM_VALUE.test(mode)) return imageNotFound();
  const asset = await services.store.managedLoginBrandings.getAsset(site.pool.id, id, category, mode);
  if (!asset) return imageNotFound();
  return servedImage(request, { contentType: ASSET_CONTENT_TYPES[asset.extension], digest: asset.digest, bytes: asset.bytes });
}
