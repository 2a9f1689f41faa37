import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { issuerFor } from '../tokens/issuer.js';

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
    // The document Cognito serves on its API host for a pool without a domain (captured), plus
    // the token endpoint, which this server answers under the pool's path; the other OAuth
    // endpoints join it with managed login.
    return {
      authorization_endpoint: issuer,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${services.publicUrl()}/${pool.id}/.well-known/jwks.json`,
      response_types_supported: ['code', 'id_token', 'token id_token', 'none'],
      subject_types_supported: ['public'],
      token_endpoint: `${services.publicUrl()}/${pool.id}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    };
  });
}
