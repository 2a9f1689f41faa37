import { X509Certificate } from 'node:crypto';
import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import { isHttpUrl } from './http-url.js';
import { BINDING, NS, child, children, descendants, parseXml, text } from './saml-xml.js';

/** What a user pool needs from an IdP's SAML metadata (saml-metadata §2.3.2, §2.4.3). */
export interface SamlIdpMetadata {
  entityId: string;
  /** SingleSignOnService location for the HTTP-Redirect binding, where AuthnRequests go. */
  ssoRedirectUrl: string;
  /** SingleLogoutService location for the HTTP-Redirect binding, when the IdP has one. */
  sloRedirectUrl?: string;
  /** The IdP's signing certificates as PEM; an assertion signed by any of them is accepted. */
  signingCertificates: string[];
}

/** The ProviderDetails keys a SAML provider is created with (CreateIdentityProvider, SAML). */
const FLAG_KEYS = ['IDPSignout', 'IDPInit', 'EncryptedResponses'] as const;

/** Keys Cognito derives from the metadata; accepted back on update (tools echo what Describe gave) and recomputed. */
const DERIVED_KEYS = ['SSORedirectBindingURI', 'SLORedirectBindingURI', 'ActiveEncryptionCertificate'] as const;

/** Cognito's limit on each signing certificate in the metadata. */
const MAX_CERTIFICATE_CHARS = 4096;
const MAX_METADATA_BYTES = 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

function metadataError(message: string): InvalidParameterException {
  return new InvalidParameterException(message);
}

function pem(body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Reads an IdP's metadata: the EntityDescriptor (alone, or the first one with an IDPSSODescriptor in
 * an EntitiesDescriptor), its HTTP-Redirect SSO and SLO endpoints and its signing certificates
 * (KeyDescriptor with use="signing" or no use). Throws InvalidParameterException, with Cognito's
 * message where one is known, for anything a user pool could not sign users in with.
 *
 * `now` (epoch ms) is when the certificates must be valid; Cognito refuses metadata whose signing
 * certificate has expired.
 */
export function parseIdpMetadata(xml: string, now: number): SamlIdpMetadata {
  const document = parseXml(xml);
  if (!document) throw metadataError('Unable to unmarshall metadata');
  const root = document.documentElement;
  const entities =
    root.namespaceURI === NS.metadata && root.localName === 'EntityDescriptor'
      ? [root]
      : descendants(document, NS.metadata, 'EntityDescriptor');
  const entity = entities.find((e) => child(e, NS.metadata, 'IDPSSODescriptor') !== undefined);
  if (!entity) throw metadataError('Unable to unmarshall metadata');
  const idp = child(entity, NS.metadata, 'IDPSSODescriptor')!;
  const entityId = entity.getAttribute('entityID') ?? '';
  if (entityId === '') throw metadataError('Unable to unmarshall metadata');

  const location = (name: string): string | undefined =>
    children(idp, NS.metadata, name)
      .find((s) => s.getAttribute('Binding') === BINDING.redirect)
      ?.getAttribute('Location')
      ?.trim() || undefined;
  const ssoRedirectUrl = location('SingleSignOnService');
  if (!ssoRedirectUrl || !isHttpUrl(ssoRedirectUrl))
    throw metadataError('No SingleSignOn Http redirect binding location found in metadata.');
  const sloRedirectUrl = location('SingleLogoutService');

  const signingCertificates: string[] = [];
  for (const descriptor of children(idp, NS.metadata, 'KeyDescriptor')) {
    const use = descriptor.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const certificate of descendants(descriptor, NS.dsig, 'X509Certificate')) {
      const body = text(certificate).replace(/\s+/g, '');
      if (body === '') continue;
      if (body.length > MAX_CERTIFICATE_CHARS)
        throw metadataError(`Signing certificate is longer than ${MAX_CERTIFICATE_CHARS} characters.`);
      let parsed: X509Certificate;
      try {
        parsed = new X509Certificate(pem(body));
      } catch {
        throw metadataError('Invalid signing certificate in metadata.');
      }
      if (Date.parse(parsed.validTo) <= now) throw metadataError('The signing certificate in the metadata has expired.');
      signingCertificates.push(pem(body));
    }
  }
  if (signingCertificates.length === 0) throw metadataError('No signing certificate found in metadata.');
  return { entityId, ssoRedirectUrl, ...(sloRedirectUrl && isHttpUrl(sloRedirectUrl) ? { sloRedirectUrl } : {}), signingCertificates };
}

/** Downloads a metadata document, with a time and size limit. */
export async function fetchMetadata(url: string): Promise<string> {
  if (!isHttpUrl(url)) throw metadataError(`Unable to retrieve metadata from remote metadata source ${url}`);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: 'follow',
      headers: { accept: 'application/xml, text/xml, */*' },
    });
  } catch {
    throw metadataError(`Unable to retrieve metadata from remote metadata source ${url}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw metadataError(`Non-ok status code ${response.status} returned from remote metadata source ${url}`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_METADATA_BYTES) throw metadataError('Unable to unmarshall metadata');
  return body.toString('utf8');
}

/** Metadata fetched from a MetadataURL at sign-in, kept a while so each sign-in is not a download. */
const fetched = new Map<string, { metadata: SamlIdpMetadata; at: number }>();
const URL_METADATA_TTL_MS = 60 * 60 * 1000;

/**
 * The metadata of a stored SAML provider, for sign-in: parsed from MetadataFile, or downloaded from
 * MetadataURL (cached for an hour; on a failed refresh the last good copy is used). Certificates
 * are not re-checked for expiry here: the signature check is what decides at sign-in.
 */
export async function samlProviderMetadata(details: Readonly<Record<string, string>>, now: number): Promise<SamlIdpMetadata> {
  const file = details['MetadataFile'];
  if (file !== undefined && file !== '') return parseIdpMetadata(file, Number.NEGATIVE_INFINITY);
  const url = details['MetadataURL'] ?? '';
  const cached = fetched.get(url);
  if (cached && now - cached.at < URL_METADATA_TTL_MS) return cached.metadata;
  try {
    const metadata = parseIdpMetadata(await fetchMetadata(url), Number.NEGATIVE_INFINITY);
    fetched.set(url, { metadata, at: now });
    return metadata;
  } catch (error) {
    if (cached) return cached.metadata;
    throw error;
  }
}

/**
 * Checks the ProviderDetails of a SAML identity provider (MetadataFile or MetadataURL, IDPSignout,
 * IDPInit, EncryptedResponses, RequestSigningAlgorithm) and returns them as Cognito stores and
 * describes them, with what it derives from the metadata: SSORedirectBindingURI and, when the IdP
 * has one, SLORedirectBindingURI. Throws InvalidParameterException for bad metadata or values.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateIdentityProvider.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-things-to-know.html
 */
export async function normalizeSamlProviderDetails(details: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const file = details['MetadataFile'];
  const url = details['MetadataURL'];
  const hasFile = file !== undefined && file !== '';
  const hasUrl = url !== undefined && url !== '';
  if (!hasFile && !hasUrl) throw metadataError('At least one of the MetadataURL or MetadataFile should be provided.');
  if (hasFile && hasUrl) throw metadataError('Only one of the MetadataURL or MetadataFile should be provided.');

  for (const key of FLAG_KEYS) {
    const value = details[key];
    if (value !== undefined && value !== 'true' && value !== 'false') throw metadataError(`${key} should be either true or false.`);
  }
  const algorithm = details['RequestSigningAlgorithm'];
  if (algorithm !== undefined && algorithm !== 'rsa-sha256') throw metadataError('RequestSigningAlgorithm should be rsa-sha256.');

  const metadata = parseIdpMetadata(hasFile ? file : await fetchMetadata(url!), Date.now());

  const normalized: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if ((DERIVED_KEYS as readonly string[]).includes(key)) continue;
    if (
      key === 'MetadataFile' ||
      key === 'MetadataURL' ||
      key === 'RequestSigningAlgorithm' ||
      (FLAG_KEYS as readonly string[]).includes(key)
    ) {
      if (value !== '') normalized[key] = value;
    }
  }
  normalized['SSORedirectBindingURI'] = metadata.ssoRedirectUrl;
  if (metadata.sloRedirectUrl) normalized['SLORedirectBindingURI'] = metadata.sloRedirectUrl;
  return normalized;
}
