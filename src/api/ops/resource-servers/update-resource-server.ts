import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import type { ResourceServerRecord } from '../../../store/ports.js';
import { requireResourceServer, resourceServerNotFound, toResourceServerType, toScopes } from './resource-server-shape.js';

/**
 * UpdateResourceServer: replaces the name and the scopes. As Cognito documents, members left out
 * are not kept: a request without `Scopes` leaves the server with none.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateResourceServer.html
 */
export const updateResourceServer = defineOperation('UpdateResourceServer', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const server = await requireResourceServer(services, pool.id, input.Identifier);
  const updated: ResourceServerRecord = {
    ...server,
    name: input.Name,
    scopes: toScopes(input.Scopes),
    updatedAt: services.clock.now(),
  };
  // A delete between the read and the write must not answer with a server that is gone.
  if (!(await services.store.resourceServers.update(updated))) throw resourceServerNotFound(input.Identifier);
  return { ResourceServer: toResourceServerType(updated) };
});
