import type { Services } from '../services.js';
import { isTriggerFailure } from '../triggers/outcome.js';
import type { UserPoolClientRecord, UserPoolRecord } from '../store/ports.js';
import { issueClientCredentialsToken } from '../tokens/issue.js';
import { authenticateClient, readClientCredentials } from './client-auth.js';
import { OAuthError } from './errors.js';
import { grantableCustomScopes, splitScopes } from './scopes.js';
import { authorizationCodeGrant } from './authorization-code-grant.js';
import { refreshTokenGrant } from './refresh-token-grant.js';

/** A request to the token endpoint, as the HTTP layer hands it over. */
export interface TokenEndpointRequest {
  /** The pool whose domain (or path prefix) the request came in on, as the HTTP layer found it. */
  pool: UserPoolRecord;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** What the token endpoint answers: a status and a JSON body, sent with {@link TOKEN_RESPONSE_HEADERS}. */
export interface TokenEndpointResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Token responses must not be cached (RFC 6749 §5.1). Any origin may read them (`cors.ts`). */
export const TOKEN_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  pragma: 'no-cache',
});

/** The form body; a parameter sent twice makes the request malformed (RFC 6749 §3.2). */
export function parseForm(contentType: string | undefined, body: string): URLSearchParams {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request');
  const form = new URLSearchParams(body);
  const seen = new Set<string>();
  for (const name of form.keys()) {
    if (seen.has(name)) throw new OAuthError('invalid_request');
    seen.add(name);
  }
  return form;
}

/**
 * `aws_client_metadata`: a JSON object of strings for a version 3 pre token generation trigger;
 * anything else makes the request malformed.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
function readClientMetadata(form: URLSearchParams): Record<string, string> | undefined {
  const raw = form.get('aws_client_metadata');
  if (raw === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new OAuthError('invalid_request');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OAuthError('invalid_request');
  if (!Object.values(parsed).every((value) => typeof value === 'string')) throw new OAuthError('invalid_request');
  return parsed as Record<string, string>;
}

/**
 * `grant_type=client_credentials`: a confidential client enabled for OAuth with the
 * client_credentials flow gets an access token for the custom scopes it asks for (all of its
 * custom scopes when it names none). No ID or refresh token is issued.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
async function clientCredentialsGrant(
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  authenticated: boolean,
  form: URLSearchParams,
): Promise<TokenEndpointResponse> {
  // The grant is the client acting for itself, so a client that cannot authenticate (a public
  // client) has no credentials to present.
  if (!authenticated) throw new OAuthError('invalid_client');
  if (client.config.AllowedOAuthFlowsUserPoolClient !== true || !(client.config.AllowedOAuthFlows ?? []).includes('client_credentials')) {
    throw new OAuthError('unauthorized_client');
  }
  const grantable = await grantableCustomScopes(services, client);
  const requested = splitScopes(form.get('scope'));
  if (requested.some((scope) => !grantable.includes(scope))) throw new OAuthError('invalid_scope');
  const scopes = requested.length > 0 ? requested : grantable;
  if (scopes.length === 0) throw new OAuthError('invalid_scope');
  const clientMetadata = readClientMetadata(form);
  const { accessToken, expiresIn } = await issueClientCredentialsToken(services, { pool, client, scopes, clientMetadata });
  return { status: 200, body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' } };
}

type Grant = (
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  authenticated: boolean,
  form: URLSearchParams,
) => Promise<TokenEndpointResponse>;

/**
 * The grants, by `grant_type`. A confidential client has authenticated before any of them runs
 * (authenticateClient refuses it otherwise); a public client names itself with `client_id`.
 */
const GRANTS: Readonly<Record<string, Grant>> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: async (services, pool, client, _authenticated, form) => ({
    status: 200,
    body: await authorizationCodeGrant(services, pool, client, form),
  }),
  refresh_token: async (services, pool, client, _authenticated, form) => ({
    status: 200,
    body: await refreshTokenGrant(services, pool, client, form),
  }),
};

/**
 * The token endpoint, `POST /oauth2/token` on a pool's domain or path prefix: reads the form,
 * authenticates the client against that pool and runs the grant. Every failure is an {@link OAuthError} answered
 * as `{"error": code}`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export async function tokenEndpoint(services: Services, request: TokenEndpointRequest): Promise<TokenEndpointResponse> {
  try {
    const form = parseForm(request.contentType, request.body);
    const pool = request.pool;
    const grantType = form.get('grant_type');
    if (!grantType) throw new OAuthError('invalid_request');
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    if (!grant) throw new OAuthError('unsupported_grant_type');
    const { client, authenticated } = await authenticateClient(services, pool.id, readClientCredentials(request.authorization, form));
    return await grant(services, pool, client, authenticated, form);
  } catch (error) {
    if (error instanceof OAuthError) return { status: error.status, body: { error: error.error } };
    // A trigger that refused or failed (pre token generation) refuses the request, not the server.
    if (isTriggerFailure(error)) return { status: 400, body: { error: 'invalid_request' } };
    throw error;
  }
}
