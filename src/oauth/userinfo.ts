import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserRecord } from '../store/ports.js';
import type { HostedHandler, HostedResponse } from './site.js';
import { authenticateAccessToken, type AuthenticatedUser } from '../tokens/access-token.js';
import { NotAuthorizedException, UserNotFoundException } from '../generated/cognito-idp/errors.js';

/** The OIDC `profile` claims Cognito returns for the `profile` scope (custom attributes join them). */
const PROFILE_CLAIMS: ReadonlySet<string> = new Set([
  'name',
  'family_name',
  'given_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'updated_at',
]);

const SCOPE_CLAIMS: Readonly<Record<string, (name: string) => boolean>> = {
  profile: (name) => PROFILE_CLAIMS.has(name) || name.startsWith('custom:'),
  email: (name) => name === 'email' || name === 'email_verified',
  phone: (name) => name === 'phone_number' || name === 'phone_number_verified',
};

/** Cognito's texts (userinfo-endpoint.html). */
const INVALID_REQUEST = 'Bad OAuth2 request at UserInfo Endpoint';
const INVALID_TOKEN = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';

/** The headers Cognito sends with userInfo answers: never cached. Any origin may read them (`cors.ts`). */
const HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
  pragma: 'no-cache',
};

function bearerError(status: 400 | 401, error: 'invalid_request' | 'invalid_token', description: string): HostedResponse {
  return {
    status,
    headers: { ...HEADERS, 'www-authenticate': `Bearer error="${error}", error_description="${description}"` },
    body: { error, error_description: description },
  };
}

/**
 * The claims for the token's scopes: with `openid` alone, every attribute the client may read;
 * `profile`, `email` and `phone` narrow that to their claims. `sub` and `username` always come,
 * and every value is a string, `email_verified` included (unlike the ID token's booleans).
 */
function userInfoClaims(client: UserPoolClientRecord, user: UserRecord, scopes: readonly string[]): Record<string, string> {
  const readable = client.config.ReadAttributes;
  const narrowing = Object.keys(SCOPE_CLAIMS).filter((scope) => scopes.includes(scope));
  const claims: Record<string, string> = { sub: user.sub };
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub' || (readable && !readable.includes(name))) continue;
    if (narrowing.length > 0 && !narrowing.some((scope) => SCOPE_CLAIMS[scope]?.(name))) continue;
    claims[name] = value;
  }
  claims['username'] = user.username;
  return claims;
}

/**
 * `GET` and `POST /oauth2/userInfo`: the user's attributes for an access token of this pool's
 * token endpoint that carries `openid` (tokens of the API flows do not). Revocation, global sign-out,
 * a disabled or deleted user all answer `invalid_token`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export const userInfoEndpoint: HostedHandler = async (services: Services, site, request) => {
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i.exec(request.headers.authorization ?? '');
  const token = match?.[1];
  if (!token) return bearerError(400, 'invalid_request', INVALID_REQUEST);
  let authenticated: AuthenticatedUser;
  try {
    authenticated = await authenticateAccessToken(services, token, 'openid');
  } catch (error) {
    if (error instanceof NotAuthorizedException || error instanceof UserNotFoundException) {
      return bearerError(401, 'invalid_token', INVALID_TOKEN);
    }
    throw error;
  }
  const { pool, user, claims } = authenticated;
  const client = pool.id === site.pool.id ? await services.store.clients.get(pool.id, claims.client_id) : undefined;
  if (!client) return bearerError(401, 'invalid_token', INVALID_TOKEN);
  return { status: 200, headers: { ...HEADERS }, body: userInfoClaims(client, user, claims.scope.split(' ')) };
};
