import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as samlify from 'samlify';
import { selfSignedCertificate } from '../../src/api/ops/pools/self-signed-certificate.js';

/*
 * A real upstream SAML IdP for tests, built on samlify: it publishes metadata, reads the
 * AuthnRequests a pool sends by redirect binding, and signs login responses (assertion, response,
 * both or neither) with a key of its own. Every field of the response can be bent to test refusals.
 */

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

// samlify validates XML against the SAML schemas only through a plug-in; tests trust their own XML.
samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

export interface KeyMaterial {
  privateKeyPem: string;
  certificatePem: string;
}

/** An RSA key pair with a self-signed certificate valid from `notBefore` for `validMs`. */
export function newKeyMaterial(commonName = 'test-idp', notBefore = Date.now() - 60_000, validMs = 365 * 24 * 3600_000): KeyMaterial {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = selfSignedCertificate({
    privateKey,
    commonName,
    notBefore,
    notAfter: notBefore + validMs,
    serialSeed: randomBytes(8).toString('hex'),
  });
  const body = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
  };
}

export interface ParsedAuthnRequest {
  id: string;
  issuer: string;
  acsUrl: string;
  destination: string;
  relayState: string;
  query: URLSearchParams;
}

export interface ParsedLogoutRequest {
  id: string;
  issuer: string;
  nameId: string;
  sessionIndex: string;
  destination: string;
  relayState: string;
  query: URLSearchParams;
  /** What samlify extracted, for building the LogoutResponse. */
  info: Parameters<samlify.IdentityProviderInstance['createLogoutResponse']>[1];
}

export interface LoginResponseOptions {
  /** Our SP: the Audience and, by default, the Destination and Recipient. */
  audience: string;
  acsUrl: string;
  nameId: string;
  inResponseTo?: string;
  attributes?: Record<string, string | string[]>;
  /** Epoch ms; defaults to now. */
  issueInstant?: number;
  notBefore?: number;
  notOnOrAfter?: number;
  destination?: string;
  recipient?: string;
  issuer?: string;
  assertionId?: string;
  /** What to sign: default the assertion. */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** Encrypts the (signed) assertion to this SP certificate (base64 DER, as Describe shows it). */
  encryptTo?: string;
  /** Rewrites the response XML before it is signed, for shapes the other options cannot make. */
  edit?: (xml: string) => string;
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A certificate as PEM, from the base64 DER body Cognito shows. */
function pemOf(body: string): string {
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class TestSamlIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly sloUrl: string;
  readonly keys: KeyMaterial;
  private readonly idp: samlify.IdentityProviderInstance;
  private readonly settings: Parameters<typeof samlify.IdentityProvider>[0];

  constructor(options: { entityId?: string; ssoUrl?: string; keys?: KeyMaterial; metadataKeys?: KeyMaterial } = {}) {
    this.entityId = options.entityId ?? 'https://idp.example.com/metadata';
    this.ssoUrl = options.ssoUrl ?? 'https://idp.example.com/sso';
    this.sloUrl = 'https://idp.example.com/slo';
    this.keys = options.keys ?? newKeyMaterial();
    this.settings = {
      entityID: this.entityId,
      privateKey: this.keys.privateKeyPem,
      signingCert: (options.metadataKeys ?? this.keys).certificatePem,
      singleSignOnService: [
        { Binding: REDIRECT, Location: this.ssoUrl },
        { Binding: POST, Location: this.ssoUrl },
      ],
      singleLogoutService: [{ Binding: REDIRECT, Location: this.sloUrl }],
      nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
      requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    };
    this.idp = samlify.IdentityProvider(this.settings);
  }

  /** The IdP's metadata document (what CreateIdentityProvider takes as MetadataFile). */
  metadata(): string {
    return this.idp.getMetadata();
  }

  private sp(entityId: string, acsUrl: string, sign: LoginResponseOptions['sign'], encryptTo?: string): samlify.ServiceProviderInstance {
    return samlify.ServiceProvider({
      entityID: entityId,
      assertionConsumerService: [{ Binding: POST, Location: acsUrl }],
      wantAssertionsSigned: sign === 'assertion' || sign === 'both',
      wantMessageSigned: sign === 'response' || sign === 'both',
      ...(encryptTo !== undefined ? { encryptCert: pemOf(encryptTo) } : {}),
    });
  }

  /** Reads the AuthnRequest of a redirect to this IdP's SSO endpoint, as samlify parses it. */
  async parseRequest(location: string, spEntityId: string, acsUrl: string): Promise<ParsedAuthnRequest> {
    const url = new URL(location);
    const query = url.searchParams;
    const parsed = await this.idp.parseLoginRequest(this.sp(spEntityId, acsUrl, 'assertion'), 'redirect', {
      query: { SAMLRequest: query.get('SAMLRequest'), RelayState: query.get('RelayState') },
    });
    const request = parsed.extract.request as Record<string, string>;
    return {
      id: request['id'] ?? '',
      issuer: String(parsed.extract.issuer ?? ''),
      acsUrl: request['assertionConsumerServiceUrl'] ?? '',
      destination: request['destination'] ?? '',
      relayState: query.get('RelayState') ?? '',
      query,
    };
  }

  /** Reads the LogoutRequest of a redirect to this IdP's SLO endpoint, as samlify parses it. */
  async parseLogoutRequest(location: string, spEntityId: string): Promise<ParsedLogoutRequest> {
    const query = new URL(location).searchParams;
    const parsed = await this.idp.parseLogoutRequest(this.sp(spEntityId, '', 'none'), 'redirect', {
      query: { SAMLRequest: query.get('SAMLRequest'), RelayState: query.get('RelayState') },
    });
    const extract = parsed.extract as Record<string, unknown>;
    const request = (extract['request'] ?? {}) as Record<string, string>;
    return {
      id: request['id'] ?? '',
      issuer: String(extract['issuer'] ?? ''),
      nameId: String(extract['nameID'] ?? ''),
      sessionIndex: String(
        (extract['sessionIndex'] as Record<string, unknown> | undefined)?.['sessionIndex'] ?? extract['sessionIndex'] ?? '',
      ),
      destination: request['destination'] ?? '',
      relayState: query.get('RelayState') ?? '',
      query,
      info: { extract: parsed.extract },
    };
  }

  /** A signed LogoutResponse to `request` (or unsigned), base64 as the POST binding carries it to `sloUrl`. */
  async logoutResponse(request: ParsedLogoutRequest, spEntityId: string, sloUrl: string, signed = true): Promise<string> {
    const sp = samlify.ServiceProvider({
      entityID: spEntityId,
      assertionConsumerService: [{ Binding: POST, Location: sloUrl }],
      singleLogoutService: [{ Binding: POST, Location: sloUrl }],
      wantLogoutResponseSigned: signed,
    });
    const result = await this.idp.createLogoutResponse(sp, request.info, 'post', request.relayState);
    return result.context;
  }

  /** A login response, base64 as the POST binding carries it. */
  async loginResponse(options: LoginResponseOptions): Promise<string> {
    const now = options.issueInstant ?? Date.now();
    const notOnOrAfter = iso(options.notOnOrAfter ?? now + 5 * 60_000);
    const inResponseTo = options.inResponseTo ? ` InResponseTo="${escape(options.inResponseTo)}"` : '';
    const issuer = escape(options.issuer ?? this.entityId);
    const attributes = Object.entries(options.attributes ?? {})
      .map(([name, value]) => {
        const values = (Array.isArray(value) ? value : [value])
          .map((v) => `<saml:AttributeValue xsi:type="xs:string">${escape(v)}</saml:AttributeValue>`)
          .join('');
        return `<saml:Attribute Name="${escape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values}</saml:Attribute>`;
      })
      .join('');
    const assertionId = options.assertionId ?? `_a${randomBytes(16).toString('hex')}`;
    const responseId = `_r${randomBytes(16).toString('hex')}`;
    const built =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}" Destination="${escape(options.destination ?? options.acsUrl)}"${inResponseTo}>` +
      `<saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escape(options.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${escape(options.recipient ?? options.acsUrl)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(options.notBefore ?? now)}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escape(options.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
      `</saml:Assertion></samlp:Response>`;
    const xml = options.edit ? options.edit(built) : built;

    const sign = options.sign ?? 'assertion';
    if (sign === 'none') return Buffer.from(xml, 'utf8').toString('base64');
    const sp = this.sp(options.audience, options.acsUrl, sign, options.encryptTo);
    const idp = options.encryptTo === undefined ? this.idp : samlify.IdentityProvider({ ...this.settings, isAssertionEncrypted: true });
    const result = await idp.createLoginResponse(
      sp,
      { extract: {} },
      'post',
      {},
      { customTagReplacement: () => ({ id: responseId, context: xml }) },
    );
    return result.context;
  }
}
