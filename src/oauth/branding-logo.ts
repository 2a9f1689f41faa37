import type { Services } from '../services.js';
import type { UiCustomizationRecord } from '../store/ports.js';
import type { HostedRequest, HostedResponse, HostedSite } from './site.js';

/** Where a pool's site serves the logos set with SetUICustomization. */
export const LOGO_PATH = '/branding/logo';

/** A client ID as the model allows it (ClientIdType), or `ALL`; anything else names no logo. */
const CLIENT_ID = /^[\w+]{1,128}$/;

/** A year: a URL with the logo's digest in it always names the same bytes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The path and query of a customization's logo, below a site's base URL. `v` is the digest of the
 * bytes, so a new logo gets a new URL and a cached one never goes stale.
 */
export function logoPath(record: Pick<UiCustomizationRecord, 'clientId' | 'logoDigest'>): string {
  const query = new URLSearchParams({ client_id: record.clientId, v: record.logoDigest ?? '' });
  return `${LOGO_PATH}?${query.toString()}`;
}

/** The answer to a branding image that is not there. */
export function imageNotFound(): HostedResponse {
  return {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: 'Not found',
  };
}

/**
 * A stored branding image, served with its stored type and `nosniff`, so the bytes can only ever
 * be an image (and a sandbox CSP for an SVG opened on its own); cached for good when the request's
 * `v` is the image's digest, revalidated otherwise.
 */
export function servedImage(request: HostedRequest, image: { contentType: string; digest: string; bytes: Buffer }): HostedResponse {
  const etag = `"${image.digest}"`;
  const headers: Record<string, string> = {
    'content-type': image.contentType,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': request.query.get('v') === image.digest ? IMMUTABLE : 'no-cache',
    etag,
  };
  if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) return { status: 304, headers };
  return { status: 200, headers, body: image.bytes };
}

/**
 * GET /branding/logo?client_id=<id|ALL>&v=<digest>: the logo of exactly that customization (the
 * pages resolve a client's fallback to `ALL` before they link here).
 */
export async function brandingLogoEndpoint(services: Services, site: HostedSite, request: HostedRequest): Promise<HostedResponse> {
  const clientId = request.query.get('client_id') ?? 'ALL';
  if (!CLIENT_ID.test(clientId)) return imageNotFound();
  const logo = await services.store.uiCustomizations.getLogo(site.pool.id, clientId);
  return logo ? servedImage(request, logo) : imageNotFound();
}
