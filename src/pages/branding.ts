import type { Services } from '../services.js';
import type { HostedSite } from '../oauth/site.js';
import type { ManagedLoginAssetRecord, ManagedLoginBrandingRecord, UiCustomizationRecord } from '../store/ports.js';
import { logoPath } from '../oauth/branding-logo.js';
import { cssProblem } from './branding-css.js';
import { managedLoginAssetPath } from '../oauth/managed-login-asset.js';
import { colorSchemeOf, managedLoginCss } from './managed-login-css.js';

/** A client's managed-login branding (SetUICustomization): its own, else the pool's `ALL`, else none. */
export interface Branding {
  /** CSS of Cognito's `*-customizable` classes, already validated when it was set. */
  css: string | undefined;
  /** Where the page loads the logo from (under site.baseUrl), when one was set. */
  logoUrl: string | undefined;
}

/** The client ID under which a pool's default customization is kept. */
export const ALL_CLIENTS = 'ALL';

/**
 * The customization that applies to a client, as Cognito resolves it: the client's own, else the
 * pool's `ALL` default. A client with its own never falls back, even for a part it left out.
 */
export async function customizationFor(
  services: Services,
  poolId: string,
  clientId: string | undefined,
): Promise<UiCustomizationRecord | undefined> {
  const own = clientId !== undefined && clientId !== ALL_CLIENTS ? await services.store.uiCustomizations.get(poolId, clientId) : undefined;
  return own ?? (await services.store.uiCustomizations.get(poolId, ALL_CLIENTS));
}

/** The logo categories the pages show, the form's first (it sits where the pages' banner logo is). */
const LOGO_CATEGORIES = ['FORM_LOGO', 'PAGE_HEADER_LOGO'] as const;

/**
 * The asset a style shows as the pages' logo: a form logo, else a page header logo, of the
 * style's colour scheme (LIGHT or DARK) or the browser-adaptive DYNAMIC one; a DYNAMIC scheme
 * takes the DYNAMIC asset, else the light one.
 */
function logoOf(branding: ManagedLoginBrandingRecord): ManagedLoginAssetRecord | undefined {
  const scheme = colorSchemeOf(branding.settings ?? {});
  const modes = scheme === 'DYNAMIC' ? ['DYNAMIC', 'LIGHT'] : [scheme, 'DYNAMIC'];
  for (const category of LOGO_CATEGORIES) {
    for (const mode of modes) {
      const asset = branding.assets.find((candidate) => candidate.category === category && candidate.colorMode === mode);
      if (asset) return asset;
    }
  }
  return undefined;
}

/**
 * The branding of a client's managed-login pages on this site: its managed login branding style
 * (CreateManagedLoginBranding) when it has one, else its classic customization (SetUICustomization).
 * A style of Cognito-provided values keeps Cognate's own look. Classic CSS is checked again here
 * (it was checked when set): it goes into every page, so CSS stored under older, looser rules
 * must not reach one.
 */
export async function brandingFor(services: Services, site: HostedSite, clientId: string | undefined): Promise<Branding> {
  const style = clientId !== undefined ? await services.store.managedLoginBrandings.getByClient(site.pool.id, clientId) : undefined;
  if (style) {
    if (style.useCognitoProvidedValues) return { css: undefined, logoUrl: undefined };
    const css = managedLoginCss(style.settings ?? {});
    const logo = logoOf(style);
    return { css: css === '' ? undefined : css, logoUrl: logo ? `${site.baseUrl}${managedLoginAssetPath(style.id, logo)}` : undefined };
  }
  const record = await customizationFor(services, site.pool.id, clientId);
  if (!record) return { css: undefined, logoUrl: undefined };
  const css = record.css !== null && cssProblem(record.css) === undefined ? record.css : undefined;
  const logoUrl = record.logoDigest !== null ? `${site.baseUrl}${logoPath(record)}` : undefined;
  return { css, logoUrl };
}
