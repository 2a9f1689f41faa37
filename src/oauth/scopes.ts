import type { Services } from '../services.js';
import type { UserPoolClientRecord } from '../store/ports.js';

/** The scopes Cognito reserves; every other scope is a custom one, `<resource server>/<scope>`. */
export const RESERVED_SCOPES: ReadonlySet<string> = new Set(['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']);

/**
 * The custom scopes (`<resource server>/<scope>`) the client may be given: those of its
 * AllowedOAuthScopes that a resource server of the pool still defines. Scope names cannot contain
 * `/`, so the resource server identifier (which can) is everything before the last one.
 */
export async function grantableCustomScopes(services: Services, client: UserPoolClientRecord): Promise<string[]> {
  const servers = new Map<string, Set<string> | undefined>();
  const grantable: string[] = [];
  for (const scope of client.config.AllowedOAuthScopes ?? []) {
    const slash = scope.lastIndexOf('/');
    if (slash <= 0) continue;
    const identifier = scope.slice(0, slash);
    if (!servers.has(identifier)) {
      const server = await services.store.resourceServers.get(client.poolId, identifier);
      servers.set(identifier, server && new Set(server.scopes.map((s) => s.ScopeName)));
    }
    if (servers.get(identifier)?.has(scope.slice(slash + 1))) grantable.push(scope);
  }
  return grantable;
}

/** A space-separated scope parameter as a list without repeats, in the order given. */
export function splitScopes(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter((scope) => scope !== ''))];
}
