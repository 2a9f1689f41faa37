import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { ResourceServerScopeType, ResourceServerType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { ResourceServerRecord, ResourceServerScope } from '../../../store/ports.js';

/** The ResourceServerType of every resource-server operation. */
export function toResourceServerType(server: ResourceServerRecord): ResourceServerType {
  return {
    UserPoolId: server.poolId,
    Identifier: server.identifier,
    Name: server.name,
    Scopes: server.scopes.map((scope) => ({ ScopeName: scope.ScopeName, ScopeDescription: scope.ScopeDescription })),
  };
}

/** The scopes to store: only the two modelled members of each, in the order given. */
export function toScopes(scopes: readonly ResourceServerScopeType[] | undefined): ResourceServerScope[] {
  return (scopes ?? []).map((scope) => ({ ScopeName: scope.ScopeName, ScopeDescription: scope.ScopeDescription }));
}

/** The error for an identifier the pool has no resource server under (text as moto and others mirror it). */
export function resourceServerNotFound(identifier: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Resource server ${identifier} does not exist.`);
}

/** The resource server, or ResourceNotFoundException naming it. */
export async function requireResourceServer(services: Services, poolId: string, identifier: string): Promise<ResourceServerRecord> {
  const server = await services.store.resourceServers.get(poolId, identifier);
  if (!server) throw resourceServerNotFound(identifier);
  return server;
}
