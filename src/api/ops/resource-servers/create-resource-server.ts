import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { ResourceServerRecord } from '../../../store/ports.js';
import { toResourceServerType, toScopes } from './resource-server-shape.js';

/**
 * CreateResourceServer: an OAuth 2.0 resource server whose scopes app clients may then allow as
 * `<identifier>/<scope name>`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateResourceServer.html
 */
export const createResourceServer = defineOperation('CreateResourceServer', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const now = services.clock.now();
  const server: ResourceServerRecord = {
    poolId: pool.id,
    identifier: input.Identifier,
    name: input.Name,
    scopes: toScopes(input.Scopes),
    createdAt: now,
    updatedAt: now,
  };
  // The insert itself decides a race between two creates of one identifier.
  if (!(await services.store.resourceServers.create(server))) {
    throw new InvalidParameterException(`${input.Identifier} already exists in user pool ${pool.id}.`);
  }
  return { ResourceServer: toResourceServerType(server) };
});
