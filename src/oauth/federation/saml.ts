import { createSign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { Services } from '../../services.js';
import type { IdentityProviderRecord, UserPoolClientRecord } from '../../store/ports.js';
import type { AuthorizationRequest } from '../authorize.js';
import { redirectTo, type HostedResponse, type HostedSite } from '../site.js';
import { FEDERATION_STATE_TTL_MS, sealFederationState } from './state.js';
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
export async function samlSignInRedirect(
  services: Services,
  site: HostedSite,
  client: UserPoolClientRecord,
  request: AuthorizationRequest,
  provider: IdentityProviderRecord,
): Promise<HostedResponse> {
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
  const relayState = sealFederationState(services, {
    poolId: site.pool.id,
    providerName: provider.name,
    clientId: client.clientId,
    request,
    requestId,
    expiresAt: now + FEDERATION_STATE_TTL_MS,
  });

  const query = new URLSearchParams({ SAMLRequest: deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'), RelayState: relayState });
  if (provider.details['RequestSigningAlgorithm'] === 'rsa-sha256') {
    // saml-bindings §3.4.4.1: the signature covers the query as sent, in this parameter order.
    query.set('SigAlg', RSA_SHA256);
    const { key } = await services.keys.signingKey(site.pool.id, 'id');
    query.set('Signature', createSign('RSA-SHA256').update(query.toString()).sign(key, 'base64'));
  }
  const target = new URL(destination);
  const separator = target.search === '' ? '?' : '&';
  return redirectTo(`${destination}${separator}${query.toString()}`);
}
