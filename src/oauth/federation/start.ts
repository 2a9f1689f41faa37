import { createHash, randomBytes } from 'node:crypto';
import type { Services } from '../../services.js';
import type { IdentityProviderRecord, UserPoolClientRecord } from '../../store/ports.js';
import type { AuthorizationRequest } from '../authorize.js';
import { redirectTo, type HostedResponse, type HostedSite } from '../site.js';
import { samlSignInRedirect } from './saml.js';
import { sealOutgoingState, type OutgoingSignIn } from './state.js';

/** Where every OAuth 2.0 / OIDC upstream provider sends the browser back (Cognito's redirect URI for IdPs). */
export function idpResponseUrl(site: HostedSite): string {
  return `${site.baseUrl}/oauth2/idpresponse`;
}

/** A fresh high-entropy value for `nonce` and the PKCE verifier (RFC 7636 §4.1: 43 characters or more). */
function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Sign in with Apple returns `name` and `email` only by form post (and then requires it), so a
 * request asking for them is sent with `response_mode=form_post`.
 */
function appleResponseMode(provider: IdentityProviderRecord): string | undefined {
  if (provider.type !== 'SignInWithApple') return undefined;
  const scopes = (provider.details['authorize_scopes'] ?? '').split(/[\s,]+/);
  return scopes.includes('name') || scopes.includes('email') ? 'form_post' : undefined;
}

/** The authorization request to an OAuth 2.0 / OIDC upstream (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3). */
function oauthSignInRedirect(signIn: OutgoingSignIn): HostedResponse {
  const { services, site, provider } = signIn;
  const nonce = randomToken();
  const codeVerifier = randomToken();
  const state = sealOutgoingState(signIn, { nonce, codeVerifier }, services.clock.now());
  const query = new URLSearchParams({
    client_id: provider.details['client_id'] ?? '',
    redirect_uri: idpResponseUrl(site),
    response_type: 'code',
    scope: provider.details['authorize_scopes'] ?? '',
    state,
    nonce,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const responseMode = appleResponseMode(provider);
  if (responseMode !== undefined) query.set('response_mode', responseMode);
  const authorizeUrl = provider.details['authorize_url'] ?? '';
  return redirectTo(`${authorizeUrl}${authorizeUrl.includes('?') ? '&' : '?'}${query.toString()}`);
}

/**
 * Sends the browser to the upstream provider (OIDC or social: its authorization endpoint; SAML: an
 * AuthnRequest by redirect binding), carrying the authorization request in sealed state. The
 * browser comes back to `/oauth2/idpresponse` (OIDC, social) or `/saml2/idpresponse` (SAML).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-oidc-flow.html
 */
export async function federatedSignInRedirect(
  services: Services,
  site: HostedSite,
  client: UserPoolClientRecord,
  request: AuthorizationRequest,
  provider: IdentityProviderRecord,
): Promise<HostedResponse> {
  const signIn: OutgoingSignIn = { services, site, client, request, provider };
  return provider.type === 'SAML' ? samlSignInRedirect(signIn) : oauthSignInRedirect(signIn);
}
