import type { Services } from '../services.js';
import type { HostedSite } from '../oauth/site.js';
import type { ManagedLoginAssetRecord, ManagedLoginBrandingRecord, UiCustomizationRecord } from '../store/ports.js';
import { logoPath } from '../oauth/branding-logo.js';
import { cssProblem } from './branding-css.js';
import { managedLoginAssetPath } from '../oauth/managed-login-asset.js';
import { colorSchemeOf, managedLoginCss } from './managed-login-css.js';
import { settingAt } from '../domain/managed-login-branding.js';

/** A client's managed-login branding: its managed login branding style, else its classic customization (SetUICustomization) or the pool's `ALL`, else none. */
export interface Branding {
  /** CSS of Cognito's `*-customizable` classes, already validated when it was set. */
  css: string | undefined;
  /** Where the page loads the logo from (under site.baseUrl), when one was set. */
  logoUrl: string | undefined;
  /** A managed login style's logo for a browser in dark mode, when it differs from `logoUrl`. */
  darkLogoUrl?: string;
  /** A managed login style's favicon. */
  faviconUrl?: string;
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

type AssetCategory = ManagedLoginAssetRecord['category'];
type ColorMode = ManagedLoginAssetRecord['colorMode'];

/** The style's asset of the first category, then the first colour mode, that it has. */
function assetOf(
  style: Pick<ManagedLoginBrandingRecord, 'assets'>,
  categories: readonly AssetCategory[],
  modes: readonly ColorMode[],
): ManagedLoginAssetRecord | undefined {
  for (const category of categories) {
    for (const mode of modes) {
      const asset = style.assets.find((candidate) => candidate.category === category && candidate.colorMode === mode);
      if (asset) return asset;
    }
  }
  return undefined;
}

/**
 * An image of a style for the pages, in its colour scheme: LIGHT and DARK take their own mode's
 * asset or the browser-adaptive DYNAMIC one. A DYNAMIC scheme takes the DYNAMIC asset (shown in
 * every context), else the light one with the dark one (when there is one) for a browser in
 * dark mode.
 */
function imagesOf(
  style: Pick<ManagedLoginBrandingRecord, 'settings' | 'assets'>,
  categories: readonly AssetCategory[],
): { image: ManagedLoginAssetRecord | undefined; dark: ManagedLoginAssetRecord | undefined } {
  const scheme = colorSchemeOf(style.settings ?? {});
  if (scheme !== 'DYNAMIC') return { image: assetOf(style, categories, [scheme, 'DYNAMIC']), dark: undefined };
  const image = assetOf(style, categories, ['DYNAMIC', 'LIGHT']);
  return { image, dark: image?.colorMode === 'DYNAMIC' ? undefined : assetOf(style, categories, ['DARK']) };
}

/** The logo categories the pages show, the form's first (it sits where the pages' banner logo is). */
const LOGO_CATEGORIES: readonly AssetCategory[] = ['FORM_LOGO', 'PAGE_HEADER_LOGO'];

/** An asset URL as a CSS `url()`, when it has only the characters such URLs are made of (they are built here). */
function cssUrl(url: string): string | undefined {
  return /^[\w:/.?&=%-]+$/.test(url) ? `url("${url}")` : undefined;
}

/** The page background image rules of a style (PAGE_BACKGROUND), unless its settings turn the image off. */
function backgroundCss(
  style: Pick<ManagedLoginBrandingRecord, 'settings' | 'assets'>,
  urlOf: (asset: ManagedLoginAssetRecord) => string,
): string {
  if (settingAt(style.settings ?? {}, ['components', 'pageBackground', 'image', 'enabled']) === false) return '';
  const { image, dark } = imagesOf(style, ['PAGE_BACKGROUND']);
  const rule = (asset: ManagedLoginAssetRecord): string => {
    const url = cssUrl(urlOf(asset));
    return url === undefined ? '' : `.background-customizable{background-image:${url};background-size:cover;background-position:center}`;
  };
  const light = image ? rule(image) : '';
  const darkRule = dark ? rule(dark) : '';
  return [light, darkRule === '' ? '' : `@media (prefers-color-scheme: dark){\n${darkRule}\n}`].filter((part) => part !== '').join('\n');
}

/** What a managed login branding style gives the pages, its images at the URLs `urlOf` gives (the site's, or a preview's). */
export function styleBranding(
  style: Pick<ManagedLoginBrandingRecord, 'useCognitoProvidedValues' | 'settings' | 'assets'>,
  urlOf: (asset: ManagedLoginAssetRecord) => string,
): Branding {
  if (style.useCognitoProvidedValues) return { css: undefined, logoUrl: undefined };
  const css = [managedLoginCss(style.settings ?? {}), backgroundCss(style, urlOf)].filter((part) => part !== '').join('\n');
  const logo = imagesOf(style, LOGO_CATEGORIES);
  const favicon = imagesOf(style, ['FAVICON_SVG', 'FAVICON_ICO']).image;
  return {
    css: css === '' ? undefined : css,
    logoUrl: logo.image ? urlOf(logo.image) : undefined,
    ...(logo.dark ? { darkLogoUrl: urlOf(logo.dark) } : {}),
    ...(favicon ? { faviconUrl: urlOf(favicon) } : {}),
  };
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
  if (style) return styleBranding(style, (asset) => `${site.baseUrl}${managedLoginAssetPath(style.id, asset)}`);
  const record = await customizationFor(services, site.pool.id, clientId);
  if (!record) return { css: undefined, logoUrl: undefined };
  const css = record.css !== null && cssProblem(record.css) === undefined ? record.css : undefined;
  const logoUrl = record.logoDigest !== null ? `${site.baseUrl}${logoPath(record)}` : undefined;
  return { css, logoUrl };
}
