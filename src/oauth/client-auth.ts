import type { Services } from '../services.js';
import type { UserPoolClientRecord } from '../store/ports.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { OAuthError } from './errors.js';

/** The client credentials a token request carries, and how it carried them. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Undoes application/x-www-form-urlencoded encoding; undefined when a percent escape is broken. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Reads the client's credentials from `Authorization: Basic` (client_secret_basic, each half
 * form-encoded before base64 as RFC 6749 §2.3.1 says) or from the `client_id` and
 * `client_secret` form fields (client_secret_post). A public client sends `client_id` alone.
 * Using both mechanisms at once is a malformed request (RFC 6749 §5.2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function readClientCredentials(authorization: string | undefined, form: URLSearchParams): ClientCredentials {
  const formId = form.get('client_id') ?? undefined;
  const formSecret = form.get('client_secret') ?? undefined;
  if (authorization !== undefined) {
    const match = /^Basic +([A-Za-z0-9+/=_-]+) *$/i.exec(authorization);
    if (!match?.[1]) throw new OAuthError('invalid_client');
    if (formSecret !== undefined) throw new OAuthError('invalid_request');
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client');
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (!clientId || clientSecret === undefined) throw new OAuthError('invalid_client');
    // A client_id in the body as well (Cognito's own examples send both) must name the same client.
    if (formId !== undefined && formId !== clientId) throw new OAuthError('invalid_client');
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (!formId) throw new OAuthError('invalid_client');
  return formSecret === undefined
    ? { clientId: formId, clientSecret: undefined, method: 'none' }
    : { clientId: formId, clientSecret: formSecret, method: 'client_secret_post' };
}

/**
 * The pool's client the credentials name, once its secret checks out. A secret is compared in
 * constant time against every secret the client has (a client may hold two while one is rotated),
 * without stopping at the first match. A public client is returned with `authenticated: false`
 * (the grant decides whether that is enough); a secret sent for a public client, or none for a
 * confidential one, fails.
 */
export async function authenticateClient(
  services: Services,
  poolId: string,
  credentials: ClientCredentials,
): Promise<{ client: UserPoolClientRecord; authenticated: boolean }> {
  const client = await services.store.clients.get(poolId, credentials.clientId);
  if (!client) throw new OAuthError('invalid_client');
  if (client.secrets.length === 0) {
    if (credentials.clientSecret !== undefined) throw new OAuthError('invalid_client');
    return { client, authenticated: false };
  }
  const given = credentials.clientSecret;
  if (given === undefined) throw new OAuthError('invalid_client');
  const matches = client.secrets.map((secret) => constantTimeEqual(secret.secret, given));
  if (!matches.includes(true)) throw new OAuthError('invalid_client');
  return { client, authenticated: true };
}
