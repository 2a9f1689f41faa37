import { createSign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { Services } from '../../services.js';
import { redirectTo, type HostedResponse } from '../site.js';
import { sealOutgoingState, type OutgoingSignIn } from './state.js';
import { samlProviderMetadata } from './saml-metadata.js';
import { authnRequestXml, newRequestId, samlAcsUrl, samlEntityId } from './saml-request.js';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/**
 * Sends the browser to a SAML IdP: an AuthnRequest by the HTTP-Redirect binding (saml-bindings
 * §3.4) to the IdP's SSO endpoint, with the authorization request sealed in RelayState along with
 * the request ID the response must answer (InResponseTo). With RequestSigningAlgorithm rsa-sha256
 * the query is signed with the pool's key, whose certificate GetSigningCertificate returns.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-SAML-session-initiation.html
 */
export async function samlSignInRedirect(signIn: OutgoingSignIn): Promise<HostedResponse> {
  const { services, site, provider } = signIn;
  const now = services.clock.now();
  // Stored at create and update; only a provider stored without it needs its metadata read now.
  const destination = provider.details['SSORedirectBindingURI'] || (await samlProviderMetadata(provider.details, now)).ssoRedirectUrl;
  const requestId = newRequestId();
  const xml = authnRequestXml({
    id: requestId,
    issueInstant: now,
    destination,
    acsUrl: samlAcsUrl(site),
    issuer: samlEntityId(site.pool.id),
  });
  const relayState = sealOutgoingState(signIn, { requestId }, now);

  const url = await redirectBindingUrl(
    services,
    site.pool.id,
    destination,
    xml,
    relayState,
    provider.details['RequestSigningAlgorithm'] === 'rsa-sha256',
  );
  return redirectTo(url);
}

/**
 * The URL that carries a SAML request to `destination` by the HTTP-Redirect binding (saml-bindings
 * §3.4.4): the deflated message and RelayState, signed when `sign` with the pool's key (the one
 * GetSigningCertificate certifies).
 */
export async function redirectBindingUrl(
  services: Services,
  poolId: string,
  destination: string,
  xml: string,
  relayState: string,
  sign: boolean,
): Promise<string> {
  const query = new URLSearchParams({ SAMLRequest: deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'), RelayState: relayState });
  if (sign) {
    // saml-bindings §3.4.4.1: the signature covers the query as sent, in this parameter order.
    query.set('SigAlg', RSA_SHA256);
    const { key } = await services.keys.signingKey(poolId, 'id');
    query.set('Signature', createSign('RSA-SHA256').update(query.toString()).sign(key, 'base64'));
  }
  const separator = new URL(destination).search === '' ? '?' : '&';
  return `${destination}${separator}${query.toString()}`;
}
