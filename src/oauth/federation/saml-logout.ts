import type { Services } from '../../services.js';
import { errorPageRedirect } from '../error-page.js';
import { readLoginSession } from '../login-session.js';
import { redirectTo, type HostedRequest, type HostedResponse, type HostedSite } from '../site.js';
import { redirectBindingUrl } from './saml.js';
import { samlProviderMetadata, type SamlIdpMetadata } from './saml-metadata.js';
import { logoutRequestXml, newRequestId, samlEntityId, samlLogoutUrl } from './saml-request.js';
import { readSamlSession } from './saml-session.js';
import { decodeSamlMessage } from './saml-verify.js';
import { NS, child, parseXml, text } from './saml-xml.js';
import { FEDERATION_STATE_TTL_MS } from './state.js';

/** What Cognito's error page says when a SAML message cannot be tied to something it sent. */
const INVALID_INPUT = 'Invalid samlResponse or relayState from identity provider';

/** A single logout on its way through the IdP: the LogoutRequest sent, and where `/logout` was to end. */
interface LogoutState {
  poolId: string;
  providerName: string;
  requestId: string;
  /** The validated destination of the `/logout` request (a sign-out URL of the client, or the sign-in page). */
  target: string;
  expiresAt: number;
}

function context(poolId: string): string {
  return `saml-logout:${poolId}`;
}

function openLogoutState(services: Services, poolId: string, sealed: string): LogoutState | undefined {
  const opened = services.sealer.openString(sealed, context(poolId));
  if (opened === null) return undefined;
  try {
    const state = JSON.parse(opened) as Partial<Record<keyof LogoutState, unknown>>;
    if (
      state.poolId !== poolId ||
      typeof state.providerName !== 'string' ||
      typeof state.requestId !== 'string' ||
      typeof state.target !== 'string' ||
      typeof state.expiresAt !== 'number' ||
      services.clock.now() >= state.expiresAt
    ) {
      return undefined;
    }
    return { poolId, providerName: state.providerName, requestId: state.requestId, target: state.target, expiresAt: state.expiresAt };
  } catch {
    return undefined;
  }
}

/**
 * For `/logout`: when the browser's managed-login session came from a SAML provider with
 * IDPSignout "true" and a SingleLogoutService, the URL of a signed LogoutRequest to that IdP (HTTP-Redirect
 * binding, signed with the pool's signing key) naming the user and session as the assertion did;
 * the IdP answers at `/saml2/logout`, which then goes on to `target`. Undefined otherwise: the
 * caller goes to `target` directly.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-sign-out.html
 */
export async function samlSingleLogoutUrl(
  services: Services,
  site: HostedSite,
  request: HostedRequest,
  target: string,
): Promise<string | undefined> {
  const saml = readSamlSession(services, site, request);
  if (!saml) return undefined;
  const signedIn = await readLoginSession(services, site, request);
  if (!signedIn || signedIn.session.usernameKey !== saml.usernameKey || signedIn.session.authTime !== saml.authTime) return undefined;
  const provider = await services.store.identityProviders.get(site.pool.id, saml.providerName);
  if (provider?.type !== 'SAML' || provider.details['IDPSignout'] !== 'true') return undefined;

  const now = services.clock.now();
  let destination = provider.details['SLORedirectBindingURI'];
  if (!destination) {
    try {
      destination = (await samlProviderMetadata(provider.details, now)).sloRedirectUrl;
    } catch {
      destination = undefined;
    }
  }
  if (!destination) return undefined;

  const requestId = newRequestId();
  const xml = logoutRequestXml({
    id: requestId,
    issueInstant: now,
    destination,
    issuer: samlEntityId(site.pool.id),
    nameId: saml.nameId,
    nameIdFormat: saml.nameIdFormat,
    sessionIndex: saml.sessionIndex,
  });
  const state: LogoutState = {
    poolId: site.pool.id,
    providerName: provider.name,
    requestId,
    target,
    expiresAt: now + FEDERATION_STATE_TTL_MS,
  };
  const relayState = services.sealer.seal(JSON.stringify(state), context(site.pool.id));
  // Cognito always signs its LogoutRequests, whatever RequestSigningAlgorithm says of AuthnRequests.
  return redirectBindingUrl(services, site.pool.id, destination, xml, relayState, true);
}

/**
 * Whether `xml` is the IdP's signed LogoutResponse to `requestId`, sent to us: a top-level
 * signature by one of the metadata certificates (node-saml), the IdP as Issuer, and our endpoint
 * as Destination when it names one. Its status does not matter: our session is over either way.
 */
async function isLogoutResponseTo(xml: string, requestId: string, metadata: SamlIdpMetadata, site: HostedSite): Promise<boolean> {
  const root = parseXml(xml)?.documentElement;
  if (!root || root.namespaceURI !== NS.protocol || root.localName !== 'LogoutResponse') return false;
  if (root.getAttribute('InResponseTo') !== requestId) return false;
  if (text(child(root, NS.assertion, 'Issuer')) !== metadata.entityId) return false;
  const destination = root.getAttribute('Destination');
  if (destination && destination !== samlLogoutUrl(site)) return false;
  const { SAML, ValidateInResponseTo } = await import('@node-saml/node-saml');
  try {
    const saml = new SAML({
      idpCert: metadata.signingCertificates,
      issuer: samlEntityId(site.pool.id),
      callbackUrl: samlLogoutUrl(site),
      validateInResponseTo: ValidateInResponseTo.never,
    });
    const result = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
    return result.loggedOut;
  } catch {
    return false;
  }
}

/**
 * `POST /saml2/logout`: the IdP's LogoutResponse (HTTP-POST binding) to a LogoutRequest `/logout`
 * sent; the browser then goes where that `/logout` request was to end. A response is accepted once;
 * anything that does not answer a request we sent goes to the error page.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-sign-out.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html
 */
export async function samlLogoutEndpoint(services: Services, site: HostedSite, request: HostedRequest): Promise<HostedResponse> {
  const invalid = errorPageRedirect(site, INVALID_INPUT);
  const contentType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') return invalid;
  const form = new URLSearchParams(request.body);
  const encoded = form.get('SAMLResponse');
  const relayState = form.get('RelayState');
  if (!encoded || !relayState || form.getAll('SAMLResponse').length > 1) return invalid;
  const state = openLogoutState(services, site.pool.id, relayState);
  if (!state) return invalid;
  const provider = await services.store.identityProviders.get(site.pool.id, state.providerName);
  const xml = decodeSamlMessage(encoded);
  if (provider?.type !== 'SAML' || xml === undefined) return invalid;

  let metadata: SamlIdpMetadata;
  try {
    metadata = await samlProviderMetadata(provider.details, services.clock.now());
  } catch {
    return invalid;
  }
  if (!(await isLogoutResponseTo(xml, state.requestId, metadata, site))) return invalid;
  const remaining = Math.max(state.expiresAt - services.clock.now(), 1000);
  const uses = await services.store.rateCounters.hitSliding(
    `saml-logout:${site.pool.id}:${state.requestId}`,
    remaining,
    services.clock.now(),
  );
  if (uses !== 1) return invalid;
  return redirectTo(state.target);
}
