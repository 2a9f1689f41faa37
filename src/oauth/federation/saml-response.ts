import type { Services } from '../../services.js';
import type { IdentityProviderRecord, UserPoolClientRecord } from '../../store/ports.js';
import { CognitoError } from '../../errors/cognito-error.js';
import { authorizationErrorRedirect, completeAuthorization, parseAuthorizationRequest, type AuthorizationRequest } from '../authorize.js';
import { errorPageRedirect } from '../error-page.js';
import type { HostedRequest, HostedResponse, HostedSite } from '../site.js';
import { signInFederatedUser } from './federated-user.js';
import { samlDecryptionKey } from './saml-encryption.js';
import { samlProviderMetadata } from './saml-metadata.js';
import { samlSessionCookie } from './saml-session.js';
import { samlAcsUrl, samlEntityId } from './saml-request.js';
import { SAML_CLOCK_SKEW_MS, SamlResponseError, attributeClaims, verifySamlResponse } from './saml-verify.js';
import { openFederationState } from './state.js';

/** What Cognito's error page says when the POST cannot be tied to a sign-in it can answer. */
const INVALID_INPUT = 'Invalid samlResponse or relayState from identity provider';

/** The sign-in a SAML response belongs to, once its RelayState has been understood. */
interface Solicitation {
  provider: IdentityProviderRecord;
  client: UserPoolClientRecord;
  request: AuthorizationRequest;
  /** The AuthnRequest ID we sent; undefined for an IdP-initiated response. */
  requestId: string | undefined;
}

type Resolved = { ok: true; solicitation: Solicitation } | { ok: false; response: HostedResponse };

function invalid(site: HostedSite): Resolved {
  return { ok: false, response: errorPageRedirect(site, INVALID_INPUT) };
}

async function samlProvider(services: Services, site: HostedSite, name: string | undefined, identifier: string | undefined) {
  const provider =
    name !== undefined
      ? await services.store.identityProviders.get(site.pool.id, name)
      : identifier !== undefined
        ? await services.store.identityProviders.getByIdentifier(site.pool.id, identifier)
        : undefined;
  return provider?.type === 'SAML' ? provider : undefined;
}

/**
 * Ties a posted response to its sign-in. SP-initiated: RelayState is the sealed state we sent with
 * the AuthnRequest. IdP-initiated: RelayState carries the parameters of an authorization request
 * (client_id, redirect_uri, response_type, scope, identity_provider or idp_identifier), which are
 * validated like `/oauth2/authorize`'s, and the provider must allow it with IDPInit "true".
 */
async function resolve(services: Services, site: HostedSite, relayState: string | null): Promise<Resolved> {
  if (!relayState) return invalid(site);
  const state = openFederationState(services, site.pool.id, relayState);
  if (state) {
    if (!state.requestId) return invalid(site);
    const provider = await samlProvider(services, site, state.providerName, undefined);
    const client = await services.store.clients.get(site.pool.id, state.clientId);
    if (!provider || !client) return invalid(site);
    return { ok: true, solicitation: { provider, client, request: state.request, requestId: state.requestId } };
  }

  const query = new URLSearchParams(relayState);
  if (!query.get('client_id')) return invalid(site);
  const parsed = await parseAuthorizationRequest(services, site, query);
  if (!parsed.ok) return parsed;
  const { client, request } = parsed;
  const provider = await samlProvider(
    services,
    site,
    request.identityProvider,
    request.identityProvider ? undefined : request.idpIdentifier,
  );
  if (!provider || provider.details['IDPInit'] !== 'true' || !(client.config.SupportedIdentityProviders ?? []).includes(provider.name)) {
    return invalid(site);
  }
  return { ok: true, solicitation: { provider, client, request, requestId: undefined } };
}

/** An error for a sign-in we can answer: to the client's registered redirect URI, as Cognito does. */
function errorRedirect(request: AuthorizationRequest, description: string): HostedResponse {
  return authorizationErrorRedirect(request.redirectUri, 'server_error', {
    state: request.state,
    inFragment: request.responseType === 'token',
    description: `Invalid SAML response received: ${description}`,
  });
}

/** How the provider's assertions are to be read: decrypted with its key, and only encrypted ones with EncryptedResponses "true". */
function withDecryption(services: Services, provider: IdentityProviderRecord): { decryptionKey?: string; requireEncryption: boolean } {
  const decryptionKey = samlDecryptionKey(services, provider);
  return {
    ...(decryptionKey !== undefined ? { decryptionKey } : {}),
    requireEncryption: provider.details['EncryptedResponses'] === 'true',
  };
}

/** Marks `key` used; false when it already was (every node shares the counters). */
async function firstUse(services: Services, key: string, forMs: number): Promise<boolean> {
  const uses = await services.store.rateCounters.hitSliding(key, Math.max(forMs, 1000), services.clock.now());
  return uses === 1;
}

/**
 * `POST /saml2/idpresponse`, the pool's assertion consumer service (HTTP-POST binding): verifies
 * the IdP's response, signs the user in as `<ProviderName>_<NameID>` (or the user linked to that
 * identity) with the provider's AttributeMapping applied to the assertion's attributes, and
 * finishes the authorization with a code or tokens for the client. A response, and the request
 * it answers, are accepted once.
 *
 * Failures that cannot be tied to a sign-in go to the error page; the others are redirected to the
 * client's registered redirect URI with `error=server_error` and an `error_description`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/saml2-idpresponse-endpoint.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-things-to-know.html
 */
export async function samlResponseEndpoint(services: Services, site: HostedSite, request: HostedRequest): Promise<HostedResponse> {
  const contentType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') return errorPageRedirect(site, INVALID_INPUT);
  const form = new URLSearchParams(request.body);
  const samlResponse = form.get('SAMLResponse');
  if (!samlResponse || form.getAll('SAMLResponse').length > 1) return errorPageRedirect(site, INVALID_INPUT);

  const resolved = await resolve(services, site, form.get('RelayState') ?? form.get('Relaystate'));
  if (!resolved.ok) return resolved.response;
  const { provider, client, request: authorization, requestId } = resolved.solicitation;

  try {
    const now = services.clock.now();
    const verified = await verifySamlResponse(samlResponse, {
      metadata: await samlProviderMetadata(provider.details, now),
      audience: samlEntityId(site.pool.id),
      acsUrl: samlAcsUrl(site),
      inResponseTo: requestId,
      now,
      ...withDecryption(services, provider),
    });
    const remaining = verified.expiresAt + SAML_CLOCK_SKEW_MS - now;
    // The request is answered once, and an assertion is used once for as long as it is valid.
    if (!(await firstUse(services, `saml-assertion:${site.pool.id}:${provider.name}:${verified.assertionId}`, remaining))) {
      throw new SamlResponseError('SAML assertion has already been used.');
    }
    if (requestId !== undefined && !(await firstUse(services, `saml-request:${site.pool.id}:${requestId}`, remaining))) {
      throw new SamlResponseError('InResponseTo is not valid.');
    }

    const user = await signInFederatedUser(
      services,
      site.pool,
      provider,
      {
        userId: verified.nameId,
        claims: attributeClaims(verified.attributes),
      },
      client.clientId,
    );
    const authTime = services.clock.now();
    const completed = await completeAuthorization(services, site, client, authorization, user, authTime);
    // Remembered for single logout (IDPSignout), tied to the session completeAuthorization started.
    const samlSession = samlSessionCookie(services, site, {
      poolId: site.pool.id,
      usernameKey: user.usernameKey,
      authTime,
      providerName: provider.name,
      nameId: verified.nameId,
      ...(verified.nameIdFormat !== undefined ? { nameIdFormat: verified.nameIdFormat } : {}),
      ...(verified.sessionIndex !== undefined ? { sessionIndex: verified.sessionIndex } : {}),
    });
    const cookies = completed.headers?.['set-cookie'] ?? [];
    return { ...completed, headers: { ...completed.headers, 'set-cookie': [...[cookies].flat(), samlSession] } };
  } catch (error) {
    if (error instanceof SamlResponseError || error instanceof CognitoError) return errorRedirect(authorization, error.message);
    services.logger.error({ err: error, poolId: site.pool.id, provider: provider.name }, 'SAML response processing failed');
    return errorRedirect(authorization, 'Unable to process the SAML response.');
  }
}
