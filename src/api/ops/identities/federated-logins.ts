import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { NotAuthorizedException } from '../../../generated/cognito-identity/errors.js';
import { issuerOfOidcProvider, oidcProviderNameOfArn } from '../../../domain/identity-pools.js';
import { fetchDiscovery } from '../../../oauth/federation/providers.js';
import { parseIdpMetadata, type SamlIdpMetadata } from '../../../oauth/federation/saml-metadata.js';
import { SamlResponseError, attributeClaims, verifySamlResponse } from '../../../oauth/federation/saml-verify.js';
import { UpstreamError, keySet, readJson, upstreamFetch } from '../../../oauth/federation/upstream.js';
import { decodeJwt } from '../../../tokens/jwt.js';
import type { IdentityPoolRecord } from '../../../store/ports.js';
import type { Services } from '../../../services.js';

/*
 * Logins of providers outside Cognate: the OIDC providers an identity pool lists by IAM ARN
 * (OpenIdConnectProviderARNs), the SAML providers of IAM it lists (SamlProviderARNs), and the four
 * social providers of SupportedLoginProviders. Tokens
 * are checked with the upstream machinery the user pools' federation uses (key sets cached per
 * URL, fetches with a deadline and no redirects).
 *
 * Cognito's texts, as AWS answers them: a provider the pool does not list, or a token of another
 * app (cognito-sample-nodejs#1, a Login with Amazon token for another app id: "Token is not from a
 * supported provider of this identity pool."); a token that is no JWT for an OIDC provider
 * (flutter_cognito_plugin#13: "Invalid login token. Not a valid OpenId Connect identity token.");
 * an issuer other than the provider's (aws-sdk-js#3947, for accounts.google.com); an expired
 * Facebook token (aws-sdk-android#829: "Invalid login token. Token is expired."). A signature that
 * does not verify and an expired JWT get the texts AWS gives for user pool tokens (logins.ts); a
 * social access token its provider refuses is Cognate's wording.
 */
export const NOT_SUPPORTED = 'Token is not from a supported provider of this identity pool.';
const NOT_OIDC = 'Invalid login token. Not a valid OpenId Connect identity token.';
const WRONG_ISSUER = "Invalid login token. Issuer doesn't match providerName";
const BAD_SIGNATURE = "Invalid login token. Couldn't verify signed token.";
const EXPIRED = 'Invalid login token. Token is expired.';
const REFUSED_ACCESS_TOKEN = 'Invalid login token. The access token is not valid.';

/** What a verified federated login proves: its subject, and the claims role mappings and principal tags read. */
export interface FederatedLogin {
  providerName: string;
  subject: string;
  claims: Record<string, unknown>;
}

/** The social providers Cognito Identity takes in SupportedLoginProviders. */
export type SocialProvider = 'accounts.google.com' | 'appleid.apple.com' | 'graph.facebook.com' | 'www.amazon.com';
const SOCIAL_PROVIDERS: readonly string[] = ['accounts.google.com', 'appleid.apple.com', 'graph.facebook.com', 'www.amazon.com'];

/** The OIDC provider name of the pool's OpenIdConnectProviderARNs that `providerName` is, if any. */
function listedOidcProvider(pool: IdentityPoolRecord, providerName: string): boolean {
  return (pool.config.OpenIdConnectProviderARNs ?? []).some((arn) => oidcProviderNameOfArn(arn) === providerName);
}

/** Whether `providerName` is an OIDC, SAML or social provider the pool lists, for `federatedLogin` to verify. */
export function isFederatedProvider(pool: IdentityPoolRecord, providerName: string): boolean {
  if (SOCIAL_PROVIDERS.includes(providerName) && Object.hasOwn(pool.config.SupportedLoginProviders ?? {}, providerName)) return true;
  return listedOidcProvider(pool, providerName) || (pool.config.SamlProviderARNs ?? []).includes(providerName);
}

/** The app ids a social provider is configured with: one, or several separated by commas. */
function appIdsOf(pool: IdentityPoolRecord, provider: SocialProvider): string[] {
  return (pool.config.SupportedLoginProviders?.[provider] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** Discovered key set URLs, per issuer, for ten minutes: discovery is fetched once, not per login. */
const DISCOVERY_TTL_MS = 10 * 60_000;
const discovered = new Map<string, { jwksUri: string; at: number }>();

async function jwksUriOfIssuer(services: Services, issuer: string): Promise<string> {
  const now = services.clock.now();
  const known = discovered.get(issuer);
  if (known && now - known.at < DISCOVERY_TTL_MS) return known.jwksUri;
  const document = await fetchDiscovery(issuer);
  const jwksUri = document?.['jwks_uri'];
  if (typeof jwksUri !== 'string') throw new NotAuthorizedException(BAD_SIGNATURE);
  discovered.set(issuer, { jwksUri, at: now });
  return jwksUri;
}

/**
 * An ID token's claims once its issuer is one of `issuers`, its signature verifies against the key
 * set at `jwksUri`, and it has not expired (no tolerance: Cognito's own check is `now >= exp`).
 */
async function verifiedIdToken(
  services: Services,
  token: string,
  issuers: readonly string[],
  jwksUri: () => Promise<string>,
): Promise<JWTPayload> {
  const jwt = decodeJwt(token);
  if (!jwt) throw new NotAuthorizedException(NOT_OIDC);
  const iss = jwt.payload['iss'];
  if (typeof iss !== 'string' || !issuers.includes(iss)) throw new NotAuthorizedException(WRONG_ISSUER);
  const now = Math.floor(services.clock.now() / 1000);
  try {
    const { payload } = await jwtVerify(token, keySet(await jwksUri()), { currentDate: new Date(now * 1000), clockTolerance: 0 });
    if (typeof payload.exp !== 'number') throw new NotAuthorizedException('Invalid login token. Missing a required claim: exp');
    if (typeof payload.sub !== 'string' || payload.sub === '')
      throw new NotAuthorizedException('Invalid login token. Missing a required claim: sub');
    return payload;
  } catch (error) {
    if (error instanceof NotAuthorizedException) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new NotAuthorizedException(`Invalid login token. Token expired: ${now} >= ${String(jwt.payload['exp'])}`);
    }
    throw new NotAuthorizedException(BAD_SIGNATURE);
  }
}

/** The token's audiences, as a list whichever form `aud` took. */
function audiencesOf(payload: JWTPayload): string[] {
  return Array.isArray(payload.aud) ? payload.aud : typeof payload.aud === 'string' ? [payload.aud] : [];
}

/**
 * A login of an OIDC provider the pool lists by ARN: an ID token of the issuer the ARN names
 * (src/domain/identity-pools.ts), verified against the key set its discovery document gives.
 * Cognito accepts any audience the IAM provider's client ID list holds; Cognate's IAM subset has no
 * OIDC provider resource to hold that list, so any audience is accepted (docs/differences.md).
 */
async function oidcLogin(services: Services, providerName: string, token: string): Promise<FederatedLogin> {
  const issuer = issuerOfOidcProvider(providerName);
  const payload = await verifiedIdToken(services, token, [issuer, providerName], () => jwksUriOfIssuer(services, issuer));
  return { providerName, subject: payload.sub!, claims: payload as Record<string, unknown> };
}

/** Google's and Apple's issuers, as their ID tokens carry them (Google's has both forms). */
const SOCIAL_ISSUERS: Record<'accounts.google.com' | 'appleid.apple.com', readonly string[]> = {
  'accounts.google.com': ['https://accounts.google.com', 'accounts.google.com'],
  'appleid.apple.com': ['https://appleid.apple.com'],
};

/** A Google or Apple login: an ID token of theirs, for (one of) the app ids the pool has for them. */
async function socialIdTokenLogin(
  services: Services,
  pool: IdentityPoolRecord,
  provider: 'accounts.google.com' | 'appleid.apple.com',
  token: string,
): Promise<FederatedLogin> {
  const jwksUri = provider === 'accounts.google.com' ? services.config.socialGoogleUrl : services.config.socialAppleUrl;
  const payload = await verifiedIdToken(services, token, SOCIAL_ISSUERS[provider], () => Promise.resolve(jwksUri));
  const appIds = appIdsOf(pool, provider);
  if (!audiencesOf(payload).some((aud) => appIds.includes(aud))) throw new NotAuthorizedException(NOT_SUPPORTED);
  return { providerName: provider, subject: payload.sub!, claims: payload as Record<string, unknown> };
}

/** A JSON answer of a social provider's API for `url`, or the refusal of a token it does not take. */
async function socialApi(url: string): Promise<{ ok: boolean; json: Record<string, unknown> | undefined }> {
  try {
    const response = await upstreamFetch(url, { method: 'GET', headers: { accept: 'application/json' } });
    return { ok: response.ok, json: await readJson(response) };
  } catch (error) {
    if (error instanceof UpstreamError) throw new NotAuthorizedException(`Invalid login token. ${error.message}.`);
    throw error;
  }
}

/** Facebook's Graph API error of an expired token: code 190, subcode 463. */
function facebookExpired(json: Record<string, unknown> | undefined): boolean {
  const error = json?.['error'] as Record<string, unknown> | undefined;
  return error?.['code'] === 190 && error['error_subcode'] === 463;
}

/**
 * A Facebook login: a user access token, which the Graph API must take (`/me` names the user) and
 * which must belong to the pool's Facebook app (`/app`, the app the token was issued to).
 */
async function facebookLogin(services: Services, pool: IdentityPoolRecord, token: string): Promise<FederatedLogin> {
  const base = services.config.socialFacebookUrl;
  const me = await socialApi(`${base}/me?fields=id&access_token=${encodeURIComponent(token)}`);
  if (!me.ok || typeof me.json?.['id'] !== 'string') {
    throw new NotAuthorizedException(facebookExpired(me.json) ? EXPIRED : REFUSED_ACCESS_TOKEN);
  }
  const app = await socialApi(`${base}/app?access_token=${encodeURIComponent(token)}`);
  if (!app.ok || typeof app.json?.['id'] !== 'string' || !appIdsOf(pool, 'graph.facebook.com').includes(app.json['id'])) {
    throw new NotAuthorizedException(NOT_SUPPORTED);
  }
  return { providerName: 'graph.facebook.com', subject: me.json['id'], claims: { ...me.json, sub: me.json['id'] } };
}

/**
 * A Login with Amazon login: an access token its token information endpoint takes, issued to the
 * pool's Amazon app (`app_id`; the console's "Amazon App ID", not the client ID), naming the user
 * (`user_id`).
 */
async function amazonLogin(services: Services, pool: IdentityPoolRecord, token: string): Promise<FederatedLogin> {
  const info = await socialApi(`${services.config.socialAmazonUrl}?access_token=${encodeURIComponent(token)}`);
  const userId = info.json?.['user_id'];
  if (!info.ok || typeof userId !== 'string') {
    throw new NotAuthorizedException(info.json?.['error_description'] === 'The access token has expired' ? EXPIRED : REFUSED_ACCESS_TOKEN);
  }
  const appId = info.json?.['app_id'];
  if (typeof appId !== 'string' || !appIdsOf(pool, 'www.amazon.com').includes(appId)) throw new NotAuthorizedException(NOT_SUPPORTED);
  return { providerName: 'www.amazon.com', subject: userId, claims: { ...info.json, sub: userId } };
}

/**
 * AWS's SAML service provider: the Audience and Recipient of the assertions AWS takes for its SAML
 * federation, identity pools' included.
 */
const AWS_SAML_SP = 'https://signin.aws.amazon.com/saml';

/**
 * A SAML login: a base64 SAML response under the ARN of an IAM SAML provider the pool lists, verified
 * as the user pools' SAML federation verifies one (src/oauth/federation/saml-verify.ts) against the
 * provider's metadata (CreateSAMLProvider), for AWS's SAML service provider, unsolicited. The user is
 * the NameID; the attributes are the claims. The refusals' reasons follow "Invalid login token." as
 * Cognate's words: AWS's are not on record.
 */
async function samlLogin(services: Services, providerArn: string, response: string): Promise<FederatedLogin> {
  const provider = await services.store.iam.getSamlProviderByArn(providerArn);
  if (!provider) throw new NotAuthorizedException(NOT_SUPPORTED);
  const now = services.clock.now();
  let metadata: SamlIdpMetadata;
  try {
    metadata = parseIdpMetadata(provider.metadata, now);
  } catch {
    throw new NotAuthorizedException("Invalid login token. The SAML provider's metadata is not usable.");
  }
  try {
    const assertion = await verifySamlResponse(response, {
      metadata,
      audience: AWS_SAML_SP,
      acsUrl: AWS_SAML_SP,
      inResponseTo: undefined,
      now,
    });
    const claims = { ...attributeClaims(assertion.attributes), sub: assertion.nameId };
    return { providerName: providerArn, subject: assertion.nameId, claims };
  } catch (error) {
    if (error instanceof SamlResponseError) throw new NotAuthorizedException(`Invalid login token. ${error.message}`);
    throw error;
  }
}

/** Verifies a login of an OIDC, SAML or social provider the pool lists (`isFederatedProvider`). */
export async function federatedLogin(
  services: Services,
  pool: IdentityPoolRecord,
  providerName: string,
  token: string,
): Promise<FederatedLogin> {
  switch (providerName) {
    case 'accounts.google.com':
    case 'appleid.apple.com':
      if (Object.hasOwn(pool.config.SupportedLoginProviders ?? {}, providerName))
        return socialIdTokenLogin(services, pool, providerName, token);
      break;
    case 'graph.facebook.com':
      if (Object.hasOwn(pool.config.SupportedLoginProviders ?? {}, providerName)) return facebookLogin(services, pool, token);
      break;
    case 'www.amazon.com':
      if (Object.hasOwn(pool.config.SupportedLoginProviders ?? {}, providerName)) return amazonLogin(services, pool, token);
      break;
  }
  if (listedOidcProvider(pool, providerName)) return oidcLogin(services, providerName, token);
  if ((pool.config.SamlProviderARNs ?? []).includes(providerName)) return samlLogin(services, providerName, token);
  throw new NotAuthorizedException(NOT_SUPPORTED);
}
