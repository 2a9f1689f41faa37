import type { AssetExtensionType } from '../generated/cognito-idp/shapes.js';

/**
 * Rules of managed login branding styles (CreateManagedLoginBranding and its siblings): what an
 * asset's bytes must be, how Settings documents combine, Cognito's default settings, and the
 * colours the pages read from them.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-brandingeditor.html
 */

/** The content type each AssetExtensionType is served with. */
export const ASSET_CONTENT_TYPES: Readonly<Record<AssetExtensionType, string>> = {
  ICO: 'image/x-icon',
  JPEG: 'image/jpeg',
  PNG: 'image/png',
  SVG: 'image/svg+xml',
  WEBP: 'image/webp',
};

function startsWith(bytes: Buffer, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

/** An SVG document: XML text (after an optional byte order mark, declaration and comments) whose root is `<svg`. */
function isSvg(bytes: Buffer): boolean {
  const text = bytes
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const rest = text.replace(/^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/i, '');
  return /^<svg[\s>]/i.test(rest);
}

/**
 * Whether the bytes are an image of the named type, told by their signatures (the server never
 * decodes an image): the pages serve each asset with its extension's content type, so bytes of
 * another kind must not get in under it.
 */
export function assetMatchesExtension(extension: AssetExtensionType, bytes: Buffer): boolean {
  switch (extension) {
    case 'PNG':
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'JPEG':
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case 'WEBP':
      return startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
    case 'ICO':
      return startsWith(bytes, [0x00, 0x00, 0x01, 0x00]);
    case 'SVG':
      return isSvg(bytes);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `patch` laid over `base`: objects merge member by member, anything else (values, arrays) in
 * `patch` replaces what `base` had. Cognito keeps the settings an update leaves out, so a style
 * can be sent in parts ("preserves existing style settings that you don't specify").
 */
export function mergeSettings(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeSettings(current, value) : value;
  }
  return merged;
}

/**
 * The settings a style has where it sets nothing, which ReturnMergedResources lays under the
 * style's own: the colours and shapes of Cognito's default style as the API reference's
 * DescribeManagedLoginBrandingByClient example shows them (a subset: the members the pages use
 * and their neighbours). Colours are `rrggbbaa` hex, as in every Settings document.
 */
export const COGNITO_DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = Object.freeze({
  categories: {
    form: {
      displayGraphics: true,
      instructions: { enabled: false },
      languageSelector: { enabled: false },
      location: { horizontal: 'CENTER', vertical: 'CENTER' },
      sessionTimerDisplay: 'NONE',
    },
    global: {
      colorSchemeMode: 'LIGHT',
      pageFooter: { enabled: false },
      pageHeader: { enabled: false },
      spacingDensity: 'REGULAR',
    },
  },
  componentClasses: {
    buttons: { borderRadius: 8.0 },
    focusState: { darkMode: { borderColor: '539fe5ff' }, lightMode: { borderColor: '0972d3ff' } },
    input: {
      borderRadius: 8.0,
      darkMode: { defaults: { backgroundColor: '0f1b2aff', borderColor: '5f6b7aff' }, placeholderColor: '8d99a8ff' },
      lightMode: { defaults: { backgroundColor: 'ffffffff', borderColor: '7d8998ff' }, placeholderColor: '5f6b7aff' },
    },
    inputLabel: { darkMode: { textColor: 'd1d5dbff' }, lightMode: { textColor: '000716ff' } },
    link: {
      darkMode: { defaults: { textColor: '539fe5ff' }, hover: { textColor: '89bdeeff' } },
      lightMode: { defaults: { textColor: '0972d3ff' }, hover: { textColor: '033160ff' } },
    },
  },
  components: {
    favicon: { enabledTypes: ['ICO', 'SVG'] },
    form: {
      backgroundImage: { enabled: false },
      borderRadius: 8.0,
      darkMode: { backgroundColor: '0f1b2aff', borderColor: '424650ff' },
      lightMode: { backgroundColor: 'ffffffff', borderColor: 'c6c6cdff' },
      logo: { enabled: false, formInclusion: 'IN', location: 'CENTER', position: 'TOP' },
    },
    pageBackground: { darkMode: { color: '0f1b2aff' }, image: { enabled: true }, lightMode: { color: 'ffffffff' } },
    pageText: {
      darkMode: { bodyColor: 'b6bec9ff', descriptionColor: 'b6bec9ff', headingColor: 'd1d5dbff' },
      lightMode: { bodyColor: '414d5cff', descriptionColor: '414d5cff', headingColor: '000716ff' },
    },
    primaryButton: {
      darkMode: {
        active: { backgroundColor: '539fe5ff', textColor: '000716ff' },
        defaults: { backgroundColor: '539fe5ff', textColor: '000716ff' },
        hover: { backgroundColor: '89bdeeff', textColor: '000716ff' },
      },
      lightMode: {
        active: { backgroundColor: '033160ff', textColor: 'ffffffff' },
        defaults: { backgroundColor: '0972d3ff', textColor: 'ffffffff' },
        hover: { backgroundColor: '033160ff', textColor: 'ffffffff' },
      },
    },
  },
});

/** The value at `path` in a settings document, when there is one. */
export function settingAt(settings: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let value: unknown = settings;
  for (const key of path) {
    if (!isPlainObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

const HEX_COLOR = /^[0-9a-fA-F]{8}$/;

/**
 * A settings colour (`rrggbbaa`) as a CSS colour, or undefined for anything else: only these eight
 * hex digits ever reach a page's style sheet, so no setting can inject CSS.
 */
export function cssColor(value: unknown): string | undefined {
  return typeof value === 'string' && HEX_COLOR.test(value) ? `#${value.toLowerCase()}` : undefined;
}
