import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { toResourceServerType } from './resource-server-shape.js';

/** ListResourceServersLimitType allows 1-50; no MaxResults means the largest page. */
const MAX_PAGE = 50;

/**
 * ListResourceServers: the pool's resource servers in identifier order, `MaxResults` at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListResourceServers.html
 */
export const listResourceServers = defineOperation('ListResourceServers', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const after = decodePageToken(input.NextToken, requestId);
  const size = input.MaxResults ?? MAX_PAGE;
  const rows = await services.store.resourceServers.list(pool.id, size + 1, after);
  const page = slicePage(rows, size, (server) => server.identifier);
  return { ResourceServers: page.items.map(toResourceServerType), ...(page.next ? { NextToken: page.next } : {}) };
});
