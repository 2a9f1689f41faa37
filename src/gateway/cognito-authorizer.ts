import { decodeJwt } from '../tokens/jwt.js';
import { poolIdFromIssuer } from '../tokens/issuer.js';
import { authenticateAccessToken, authenticateClientAccessToken } from '../tokens/access-token.js';
import { authenticateIdToken } from '../tokens/id-token.js';
import type { Services } from '../services.js';

/** The token a route's Cognito authorizer takes: without scopes an ID token, with scopes an access token. */
export interface CognitoRouteAuthorizer {
  readonly userPoolIds: readonly string[];
  readonly scopes: readonly string[];
}

/**
 * The claims of the user pool token in an `Authorization` header (the token alone, or after
 * `Bearer `), when a route's COGNITO_USER_POOLS authorizer accepts it; undefined otherwise, which
 * the gateway answers 401 Unauthorized. As API Gateway's: a route without scopes takes an ID
 * token, a route with scopes an access token that has one of them; the token's pool must be one
 * of the route's. Beyond API Gateway, which checks only the signature and expiry, the user must
 * still exist, be enabled and not be signed out (the access token's family not revoked): the
 * same checks GetUser makes, so a revoked token opens nothing.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export async function cognitoClaims(
  services: Services,
  authorizer: CognitoRouteAuthorizer,
  header: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  const token = header?.replace(/^Bearer\s+/i, '').trim();
  const jwt = token ? decodeJwt(token) : undefined;
  const issuer = jwt?.payload['iss'];
  const poolId = typeof issuer === 'string' ? poolIdFromIssuer(services, issuer) : undefined;
  if (!token || !poolId || !authorizer.userPoolIds.includes(poolId)) return undefined;
  try {
    if (authorizer.scopes.length === 0) return (await authenticateIdToken(services, token)).claims;
    // A machine's token (client_credentials) has no user; API Gateway takes it on a scoped route too.
    const authenticated =
      jwt!.payload['username'] === undefined
        ? await authenticateClientAccessToken(services, token, authorizer.scopes)
        : await authenticateAccessToken(services, token, authorizer.scopes);
    return { ...authenticated.claims };
  } catch (error) {
    if (error instanceof Error && error.name === 'NotAuthorizedException') return undefined;
    if (error instanceof Error && error.name === 'UserNotFoundException') return undefined;
    throw error;
  }
}
