import type { SamlIdpMetadata } from './saml-metadata.js';
import { NS, child, children, descendants, parseXml, text } from './saml-xml.js';

/** How far the IdP's clock may be from ours when assertion times are checked. */
export const SAML_CLOCK_SKEW_MS = 60_000;

/** Cognito accepts SAML responses of up to 100,000 characters of assertion; base64 adds a third. */
const MAX_ENCODED_CHARS = 140_000;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * A SAML response that could not be accepted. `message` is the reason as Cognito words it after
 * `Invalid SAML response received: ` in the error it redirects with; never secret material.
 */
export class SamlResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamlResponseError';
  }
}

/** What a verified assertion says about the user. */
export interface VerifiedAssertion {
  issuer: string;
  nameId: string;
  /** Attribute values by attribute Name, in document order. */
  attributes: Record<string, string[]>;
  assertionId: string;
  /** The Response's InResponseTo (or the assertion's), when the IdP answered a request. */
  inResponseTo?: string;
  /** Epoch ms after which the assertion may no longer be used. */
  expiresAt: number;
  /** The NameID's Format, when it has one: a LogoutRequest names the user exactly as the assertion did. */
  nameIdFormat?: string;
  /** The SessionIndex of the first AuthnStatement, which single logout names the session by. */
  sessionIndex?: string;
}

export interface VerifyOptions {
  metadata: SamlIdpMetadata;
  /** Our SP entity ID: the Audience the assertion must name. */
  audience: string;
  /** Our ACS URL: the Destination and Recipient the response must name. */
  acsUrl: string;
  /** The AuthnRequest ID this response must answer; undefined for IdP-initiated (no InResponseTo allowed). */
  inResponseTo: string | undefined;
  now: number;
  /** The PEM key that decrypts an EncryptedAssertion (the provider's encryption key). */
  decryptionKey?: string;
  /** EncryptedResponses "true": a plaintext assertion is refused. */
  requireEncryption?: boolean;
}

/** Decodes a SAMLResponse form value (POST binding); undefined when it is not base64. */
export function decodeSamlMessage(encoded: string): string | undefined {
  const compact = encoded.replace(/\s+/g, '');
  if (compact === '' || compact.length > MAX_ENCODED_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1)
    return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function time(value: string | null, what: string): number | undefined {
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new SamlResponseError(`Invalid ${what} time in SAML assertion.`);
  return ms;
}

function checkWindow(now: number, notBefore: number | undefined, notOnOrAfter: number | undefined): void {
  if (notBefore !== undefined && now + SAML_CLOCK_SKEW_MS < notBefore) throw new SamlResponseError('SAML assertion is not yet valid.');
  if (notOnOrAfter !== undefined && now - SAML_CLOCK_SKEW_MS >= notOnOrAfter) throw new SamlResponseError('SAML assertion has expired.');
}

/** Maps node-saml's findings to the reason a caller may see; unknown failures stay generic. */
function reason(error: unknown, encrypted: boolean): SamlResponseError {
  if (error instanceof SamlResponseError) return error;
  const message = error instanceof Error ? error.message : '';
  if (/signature/i.test(message)) return new SamlResponseError('SAML Assertion signature is invalid.');
  if (/audience/i.test(message)) return new SamlResponseError('Audience restriction is not satisfied.');
  if (/no decryption key/i.test(message)) return new SamlResponseError('Encrypted SAML assertions are not supported.');
  // A key that does not fit fails in OpenSSL (an OAEP or padding error), before anything is read.
  const code = (error as { code?: unknown } | null)?.code;
  if (/decrypt|EncryptedAssertion/i.test(message) || (encrypted && typeof code === 'string' && code.startsWith('ERR_OSSL'))) {
    return new SamlResponseError('Unable to decrypt the SAML assertion.');
  }
  if (/Missing SAML assertion/i.test(message)) return new SamlResponseError('SAML response does not contain an assertion.');
  return new SamlResponseError('Unable to process the SAML response.');
}

/**
 * Verifies a SAML response posted to the ACS (saml-profiles §4.1.4.3, §4.1.4.5): the response or
 * its assertion signed by one of the IdP's metadata certificates (node-saml, which also keeps a
 * signature from covering anything but the one assertion it returns), the issuer, the audience, the
 * Destination and bearer Recipient, the time conditions by our clock, and InResponseTo against the
 * request we sent. Everything read after verification comes from the signed assertion alone.
 */
export async function verifySamlResponse(encoded: string, options: VerifyOptions): Promise<VerifiedAssertion> {
  const xml = decodeSamlMessage(encoded);
  if (xml === undefined) throw new SamlResponseError('Invalid base64 SAMLResponse.');
  const document = parseXml(xml);
  const response = document?.documentElement;
  if (!response || response.namespaceURI !== NS.protocol || response.localName !== 'Response')
    throw new SamlResponseError('Unable to parse the SAML response.');

  const status = child(response, NS.protocol, 'Status');
  const statusCode = status ? child(status, NS.protocol, 'StatusCode')?.getAttribute('Value') : undefined;
  if (statusCode !== SUCCESS) throw new SamlResponseError('SAML response status is not Success.');
  const destination = response.getAttribute('Destination');
  if (destination && destination !== options.acsUrl)
    throw new SamlResponseError('Destination does not match the assertion consumer service URL.');
  const encrypted = child(response, NS.assertion, 'EncryptedAssertion') !== undefined;
  if (options.requireEncryption && child(response, NS.assertion, 'Assertion') !== undefined)
    throw new SamlResponseError('SAML assertion is not encrypted.');

  // Loaded by the first SAML response, not at start-up: node-saml is among the server's heaviest imports.
  const { SAML, SamlStatusError, ValidateInResponseTo } = await import('@node-saml/node-saml');
  let assertionXml: string;
  try {
    const saml = new SAML({
      idpCert: options.metadata.signingCertificates,
      issuer: options.audience,
      callbackUrl: options.acsUrl,
      audience: options.audience,
      // One of the two is enough (node-saml then insists on the assertion's when the response's is absent).
      wantAuthnResponseSigned: false,
      wantAssertionsSigned: false,
      // Times are checked below with the injected clock; InResponseTo against the sealed RelayState.
      acceptedClockSkewMs: -1,
      validateInResponseTo: ValidateInResponseTo.never,
      ...(options.decryptionKey !== undefined ? { decryptionPvk: options.decryptionKey } : {}),
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
    const signed = profile?.getAssertionXml?.();
    if (!signed) throw new SamlResponseError('SAML response does not contain an assertion.');
    assertionXml = signed;
  } catch (error) {
    if (error instanceof SamlStatusError) throw new SamlResponseError('SAML response status is not Success.');
    throw reason(error, encrypted);
  }

  const assertion = parseXml(assertionXml)?.documentElement;
  if (!assertion || assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion')
    throw new SamlResponseError('Unable to parse the SAML response.');
  const issuer = text(child(assertion, NS.assertion, 'Issuer'));
  if (issuer !== options.metadata.entityId) throw new SamlResponseError('Issuer does not match the identity provider.');
  const assertionId = assertion.getAttribute('ID') ?? '';
  if (assertionId === '') throw new SamlResponseError('SAML assertion has no ID.');

  const subject = child(assertion, NS.assertion, 'Subject');
  const nameIdElement = subject ? child(subject, NS.assertion, 'NameID') : undefined;
  const nameId = text(nameIdElement);
  if (!subject || nameId === '') throw new SamlResponseError('SAML assertion has no NameID.');
  const nameIdFormat = nameIdElement?.getAttribute('Format') || undefined;
  const authnStatement = child(assertion, NS.assertion, 'AuthnStatement');
  const sessionIndex = authnStatement?.getAttribute('SessionIndex') || undefined;

  // A bearer confirmation for us (saml-profiles §4.1.4.2): Recipient is our ACS, and it is in time.
  const confirmation = children(subject, NS.assertion, 'SubjectConfirmation')
    .filter((c) => c.getAttribute('Method') === BEARER)
    .map((c) => child(c, NS.assertion, 'SubjectConfirmationData'))
    .find((data): data is Element => data !== undefined && data.getAttribute('Recipient') === options.acsUrl);
  if (!confirmation) throw new SamlResponseError('Recipient does not match the assertion consumer service URL.');
  const confirmationNotOnOrAfter = time(confirmation.getAttribute('NotOnOrAfter'), 'NotOnOrAfter');
  checkWindow(options.now, time(confirmation.getAttribute('NotBefore'), 'NotBefore'), confirmationNotOnOrAfter);

  const conditions = child(assertion, NS.assertion, 'Conditions');
  const conditionsNotOnOrAfter = time(conditions?.getAttribute('NotOnOrAfter') ?? null, 'NotOnOrAfter');
  checkWindow(options.now, time(conditions?.getAttribute('NotBefore') ?? null, 'NotBefore'), conditionsNotOnOrAfter);
  const ends = [confirmationNotOnOrAfter, conditionsNotOnOrAfter].filter((t): t is number => t !== undefined);
  if (ends.length === 0) throw new SamlResponseError('SAML assertion has no NotOnOrAfter.');

  const answered = [response.getAttribute('InResponseTo'), confirmation.getAttribute('InResponseTo')].filter((v): v is string => !!v);
  if (options.inResponseTo === undefined) {
    if (answered.length > 0) throw new SamlResponseError('InResponseTo is not valid.');
  } else if (confirmation.getAttribute('InResponseTo') !== options.inResponseTo || answered.some((v) => v !== options.inResponseTo)) {
    throw new SamlResponseError('InResponseTo is not valid.');
  }

  const attributes: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const attribute of descendants(assertion, NS.assertion, 'Attribute')) {
    const name = attribute.getAttribute('Name');
    if (!name) continue;
    const values = children(attribute, NS.assertion, 'AttributeValue').map((v) => text(v));
    attributes[name] = [...(attributes[name] ?? []), ...values];
  }

  return {
    issuer,
    nameId,
    attributes,
    assertionId,
    ...(answered[0] !== undefined ? { inResponseTo: answered[0] } : {}),
    expiresAt: Math.min(...ends),
    ...(nameIdFormat !== undefined ? { nameIdFormat } : {}),
    ...(sessionIndex !== undefined ? { sessionIndex } : {}),
  };
}

/**
 * SAML attribute values as one claim each: a single value as is, several as Cognito writes them to
 * a user attribute, `[a, b]`.
 */
export function attributeClaims(attributes: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, values] of Object.entries(attributes)) {
    if (values.length === 0) continue;
    claims[name] = values.length === 1 ? values[0]! : `[${values.join(', ')}]`;
  }
  return claims;
}
