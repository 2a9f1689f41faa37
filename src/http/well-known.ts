import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { issuerFor } from '../tokens/issuer.js';
import { OPEN_ID_ISSUER_PATH, OPEN_ID_KEY_SET, openIdIssuer } from '../tokens/open-id-token.js';

/**
 * Per-pool OIDC discovery and JWKS under the issuer path, as Cognito serves them on its API host:
 * `/<poolId>/.well-known/jwks.json` and `/<poolId>/.well-known/openid-configuration`.
 */
export function registerWellKnown(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (request, reply) => {
    const pool = await services.store.pools.get(request.params.poolId);
    if (!pool) return reply.code(404).send({ message: 'User pool not found' });
    reply.header('cache-control', 'public, max-age=300');
    reply.header('access-control-allow-origin', '*');
    return services.keys.jwks(pool.id);
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (request, reply) => {
    const pool = await services.store.pools.get(request.params.poolId);
    if (!pool) return reply.code(404).send({ message: 'User pool not found' });
    const issuer = issuerFor(services, pool);
    reply.header('access-control-allow-origin', '*');
    // The document Cognito serves on its API host for a pool with a domain (captured documents:
    // `response_types_supported` ["code","token"], the OIDC scopes, and since February 2024 the
    // /logout endpoint as `end_session_endpoint`), with the endpoints under the pool's path here.
    // `revocation_endpoint` is ours: Cognito serves /oauth2/revoke without listing it.
    const base = `${services.publicUrl()}/${pool.id}`;
    return {
      authorization_endpoint: `${base}/oauth2/authorize`,
      end_session_endpoint: `${base}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
    };
  });

  registerOpenIdIssuer(app, services);
}

/**
 * The issuer of Cognito Identity's OpenID tokens (GetOpenIdToken): discovery and JWKS under
 * `/cognito-identity`, its `iss` by default. AWS serves its key set at `/.well-known/jwks_uri`, and
 * so does Cognate. These static paths win over the user pools' `/:poolId/...` routes.
 */
function registerOpenIdIssuer(app: FastifyInstance, services: Services): void {
  const base = (): string => `${services.publicUrl()}${OPEN_ID_ISSUER_PATH}`;
  app.get(`${OPEN_ID_ISSUER_PATH}/.well-known/jwks_uri`, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    reply.header('access-control-allow-origin', '*');
    return services.keys.jwks(OPEN_ID_KEY_SET);
  });
  app.get(`${OPEN_ID_ISSUER_PATH}/.well-known/openid-configuration`, async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
    return {
      issuer: openIdIssuer(services),
      jwks_uri: `${base()}/.well-known/jwks_uri`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'aud', 'amr', 'iss', 'iat', 'exp'],
    };
  });
}
