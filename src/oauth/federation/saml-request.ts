import { randomBytes } from 'node:crypto';
import type { HostedSite } from '../site.js';
import { BINDING, NS, escapeXml } from './saml-xml.js';

/**
 * The user pool's SAML service provider entity ID, which IdPs know it by (the Audience of every
 * assertion they send it).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp.html
 */
export function samlEntityId(poolId: string): string {
  return `urn:amazon:cognito:sp:${poolId}`;
}

/** The assertion consumer service of a pool's site, where IdPs post SAML responses. */
export function samlAcsUrl(site: HostedSite): string {
  return `${site.baseUrl}/saml2/idpresponse`;
}

/** An AuthnRequest ID: an xs:ID must not start with a digit, so it carries a prefix. */
export function newRequestId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** The AuthnRequest a user pool sends (saml-core §3.4.1), unsigned: the redirect binding signs the query. */
export function authnRequestXml(options: {
  id: string;
  issueInstant: number;
  destination: string;
  acsUrl: string;
  issuer: string;
}): string {
  return (
    `<saml2p:AuthnRequest xmlns:saml2p="${NS.protocol}" AssertionConsumerServiceURL="${escapeXml(options.acsUrl)}"` +
    ` Destination="${escapeXml(options.destination)}" ForceAuthn="false" ID="${options.id}"` +
    ` IssueInstant="${new Date(options.issueInstant).toISOString()}" ProtocolBinding="${BINDING.post}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="${NS.assertion}">${escapeXml(options.issuer)}</saml2:Issuer>` +
    `<saml2p:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>` +
    `</saml2p:AuthnRequest>`
  );
}

/** The pool's single logout endpoint, where IdPs post LogoutResponses. */
export function samlLogoutUrl(site: HostedSite): string {
  return `${site.baseUrl}/saml2/logout`;
}

/**
 * The LogoutRequest a user pool sends (saml-core §3.7.1), naming the user and session exactly as
 * the assertion that signed them in did; unsigned: the redirect binding signs the query.
 */
export function logoutRequestXml(options: {
  id: string;
  issueInstant: number;
  destination: string;
  issuer: string;
  nameId: string;
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}): string {
  const format = options.nameIdFormat !== undefined ? ` Format="${escapeXml(options.nameIdFormat)}"` : '';
  return (
    `<saml2p:LogoutRequest xmlns:saml2p="${NS.protocol}" Destination="${escapeXml(options.destination)}" ID="${options.id}"` +
    ` IssueInstant="${new Date(options.issueInstant).toISOString()}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="${NS.assertion}">${escapeXml(options.issuer)}</saml2:Issuer>` +
    `<saml2:NameID xmlns:saml2="${NS.assertion}"${format}>${escapeXml(options.nameId)}</saml2:NameID>` +
    (options.sessionIndex !== undefined ? `<saml2p:SessionIndex>${escapeXml(options.sessionIndex)}</saml2p:SessionIndex>` : '') +
    `</saml2p:LogoutRequest>`
  );
}
