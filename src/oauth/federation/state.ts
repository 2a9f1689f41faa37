import type { Services } from '../../services.js';
import type { IdentityProviderRecord, UserPoolClientRecord } from '../../store/ports.js';
import type { AuthorizationRequest } from '../authorize.js';
import type { HostedSite } from '../site.js';

/** What travels through the upstream provider and back (OIDC state, SAML RelayState). */
export interface FederationState {
  poolId: string;
  providerName: string;
  clientId: string;
  request: AuthorizationRequest;
  /** OIDC upstream: the nonce and PKCE verifier we sent. */
  nonce?: string;
  codeVerifier?: string;
  /** SAML upstream: the AuthnRequest ID we sent (InResponseTo). */
  requestId?: string;
  expiresAt: number;
}

/** How long a sign-in may take at an upstream OIDC or social provider before its state is refused. */
export const FEDERATION_STATE_TTL_MS = 15 * 60 * 1000;

/** Sealed state is bound to its pool, so a value minted for one pool never opens in another. */
function context(poolId: string): string {
  return `federation-state:${poolId}`;
}

/**
 * Seals `state` for a URL parameter. The value is encrypted and authenticated with the master key
 * (the PKCE verifier inside stays secret from the upstream provider and the browser); its
 * characters (base64url parts joined by dots) need no escaping in a query or form.
 */
export function sealFederationState(services: Services, state: FederationState): string {
  return services.sealer.seal(JSON.stringify(state), context(state.poolId));
}

/** A sign-in on its way out to an upstream provider: for which app and authorization request, through which provider. */
export interface OutgoingSignIn {
  services: Services;
  site: HostedSite;
  client: UserPoolClientRecord;
  request: AuthorizationRequest;
  provider: IdentityProviderRecord;
}

/**
 * The sealed state an outgoing sign-in carries, with what the upstream's answer must match: the
 * nonce and PKCE verifier (OIDC, social) or the AuthnRequest ID (SAML).
 */
export function sealOutgoingState(
  signIn: OutgoingSignIn,
  upstream: { nonce: string; codeVerifier: string } | { requestId: string },
  now: number,
): string {
  return sealFederationState(signIn.services, {
    poolId: signIn.site.pool.id,
    providerName: signIn.provider.name,
    clientId: signIn.client.clientId,
    request: signIn.request,
    ...upstream,
    expiresAt: now + FEDERATION_STATE_TTL_MS,
  });
}

function isFederationState(value: unknown): value is FederationState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    typeof state['poolId'] === 'string' &&
    typeof state['providerName'] === 'string' &&
    typeof state['clientId'] === 'string' &&
    typeof state['expiresAt'] === 'number' &&
    typeof state['request'] === 'object' &&
    state['request'] !== null
  );
}

/** Opens sealed state; undefined when it was tampered with, belongs to another pool or has expired. */
export function openFederationState(services: Services, poolId: string, sealed: string): FederationState | undefined {
  const opened = services.sealer.openString(sealed, context(poolId));
  if (opened === null) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(opened);
  } catch {
    return undefined;
  }
  if (!isFederationState(state) || state.poolId !== poolId) return undefined;
  if (services.clock.now() >= state.expiresAt) return undefined;
  return state;
}
