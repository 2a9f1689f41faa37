import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import type { IdentityProviderKind } from '../../store/ports.js';
import { isHttpUrl } from './http-url.js';

/*
 * The kinds of OAuth 2.0 / OIDC upstream provider and what Cognito fills in for each. Social
 * providers are presets: their endpoints are fixed, and Cognito adds them to ProviderDetails, which
 * Describe then shows (the Describe responses of the API reference, IdentityProviderType). Explicit
 * keys in a request win over a preset's, so a preset can be pointed at another server (tests do).
 *
 * Texts measured against AWS by others: "client_id, client_secret and authorize_scopes are all
 * required idp details" (a social provider missing one), "Provider X cannot be of type Google."
 * (a social provider must be named as its type).
 */

/** The social provider types; each must be named exactly as its type. */
export const SOCIAL_TYPES: ReadonlySet<IdentityProviderKind> = new Set(['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

/** The version of the Graph API a Facebook provider uses when it names none (the API reference's example). */
const FACEBOOK_DEFAULT_API_VERSION = 'v17.0';

/** Details Cognito adds to each social provider (Describe output of the API reference). */
function socialPreset(type: IdentityProviderKind, details: Readonly<Record<string, string>>): Record<string, string> {
  switch (type) {
    case 'Google':
      return {
        attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
        attributes_url_add_attributes: 'true',
        authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
        oidc_issuer: 'https://accounts.google.com',
        token_request_method: 'POST',
        token_url: 'https://www.googleapis.com/oauth2/v4/token',
      };
    case 'Facebook': {
      const version = details['api_version'] ?? FACEBOOK_DEFAULT_API_VERSION;
      return {
        attributes_url: `https://graph.facebook.com/${version}/me?fields=`,
        attributes_url_add_attributes: 'true',
        authorize_url: `https://www.facebook.com/${version}/dialog/oauth`,
        token_request_method: 'GET',
        token_url: `https://graph.facebook.com/${version}/oauth/access_token`,
      };
    }
    case 'LoginWithAmazon':
      return {
        attributes_url: 'https://api.amazon.com/user/profile',
        attributes_url_add_attributes: 'false',
        authorize_url: 'https://www.amazon.com/ap/oa',
        token_request_method: 'POST',
        token_url: 'https://api.amazon.com/auth/o2/token',
      };
    case 'SignInWithApple':
      return {
        attributes_url_add_attributes: 'false',
        authorize_url: 'https://appleid.apple.com/auth/authorize',
        oidc_issuer: 'https://appleid.apple.com',
        token_request_method: 'POST',
        token_url: 'https://appleid.apple.com/auth/token',
      };
    default:
      return {};
  }
}

/**
 * Key sets of providers whose ID tokens we verify but whose Describe output has no `jwks_uri`;
 * a `jwks_uri` in the details wins.
 */
const PRESET_JWKS: Partial<Record<IdentityProviderKind, string>> = {
  Google: 'https://www.googleapis.com/oauth2/v3/certs',
  SignInWithApple: 'https://appleid.apple.com/auth/keys',
};

/** The key set that signs the provider's ID tokens, when there is one. */
export function jwksUriOf(type: IdentityProviderKind, details: Readonly<Record<string, string>>): string | undefined {
  return details['jwks_uri'] ?? PRESET_JWKS[type];
}

/** The upstream claim that identifies the user, and the default `username` mapping Cognito adds. */
export function userIdClaimOf(type: IdentityProviderKind): string {
  if (type === 'Facebook') return 'id';
  if (type === 'LoginWithAmazon') return 'user_id';
  return 'sub';
}

/** Details that are secrets: kept and used, never shown (Describe of Sign in with Apple omits its key). */
export const HIDDEN_DETAILS: Partial<Record<IdentityProviderKind, readonly string[]>> = {
  SignInWithApple: ['private_key'],
};

const REQUIRED: Partial<Record<IdentityProviderKind, readonly string[]>> = {
  Google: ['client_id', 'client_secret', 'authorize_scopes'],
  Facebook: ['client_id', 'client_secret', 'authorize_scopes'],
  LoginWithAmazon: ['client_id', 'client_secret', 'authorize_scopes'],
  SignInWithApple: ['client_id', 'team_id', 'key_id', 'private_key', 'authorize_scopes'],
  OIDC: ['client_id', 'authorize_scopes', 'attributes_request_method', 'oidc_issuer'],
};

/** "a, b and c are all required idp details", Cognito's wording for a social provider missing one. */
function requiredMessage(keys: readonly string[]): string {
  const list = keys.length > 1 ? `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}` : (keys[0] ?? '');
  return `${list} are all required idp details`;
}

/** The OIDC endpoints Cognito fills from the issuer's discovery document when they are not given. */
const OIDC_ENDPOINTS: ReadonlyArray<[detail: string, metadata: string]> = [
  ['authorize_url', 'authorization_endpoint'],
  ['token_url', 'token_endpoint'],
  ['attributes_url', 'userinfo_endpoint'],
  ['jwks_uri', 'jwks_uri'],
];

const DISCOVERY_TIMEOUT_MS = 10_000;
const MAX_DISCOVERY_BYTES = 256 * 1024;

/** The discovery document of an issuer (OpenID Connect Discovery §4), or undefined when it cannot be had. */
export async function fetchDiscovery(issuer: string): Promise<Record<string, unknown> | undefined> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    const text = await response.text();
    if (text.length > MAX_DISCOVERY_BYTES) return undefined;
    const document: unknown = JSON.parse(text);
    return typeof document === 'object' && document !== null && !Array.isArray(document)
      ? (document as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ProviderDetails to store for an OIDC or social provider, as Cognito stores and describes
 * them: required keys checked, preset endpoints added (explicit keys win), and for OIDC the
 * endpoints that were not given filled from `${oidc_issuer}/.well-known/openid-configuration`.
 */
export async function normalizeOAuthProviderDetails(
  type: IdentityProviderKind,
  details: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const required = REQUIRED[type] ?? [];
  if (required.some((key) => (details[key] ?? '').trim() === '')) throw new InvalidParameterException(requiredMessage(required));

  if (type !== 'OIDC') return { ...socialPreset(type, details), ...details };

  const method = details['attributes_request_method'];
  if (method !== 'GET' && method !== 'POST') {
    throw new InvalidParameterException('attributes_request_method must be GET or POST');
  }
  const issuer = details['oidc_issuer'] ?? '';
  if (!isHttpUrl(issuer)) throw new InvalidParameterException('oidc_issuer must be a valid URL');
  for (const [key] of OIDC_ENDPOINTS) {
    const value = details[key];
    if (value !== undefined && !isHttpUrl(value)) throw new InvalidParameterException(`${key} must be a valid URL`);
  }
  const normalized: Record<string, string> = { attributes_url_add_attributes: 'false', ...details };
  if (OIDC_ENDPOINTS.some(([key]) => normalized[key] === undefined)) {
    const discovered = await fetchDiscovery(issuer);
    for (const [key, member] of OIDC_ENDPOINTS) {
      const value = discovered?.[member];
      if (normalized[key] === undefined && typeof value === 'string' && isHttpUrl(value)) normalized[key] = value;
    }
    // Without an authorization and a token endpoint no one could sign in through the provider.
    if (normalized['authorize_url'] === undefined || normalized['token_url'] === undefined || normalized['jwks_uri'] === undefined) {
      throw new InvalidParameterException(
        `Unable to contact well-known endpoint of ${issuer}: authorize_url, token_url and jwks_uri are required when it cannot be reached`,
      );
    }
  }
  return normalized;
}
