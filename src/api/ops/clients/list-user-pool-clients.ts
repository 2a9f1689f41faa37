import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { toUserPoolClientDescription } from './client-shape.js';

/** Page size when MaxResults is left out: the model's maximum. */
const DEFAULT_PAGE = 60;

/**
 * ListUserPoolClients: the pool's clients in ID order, MaxResults (1-60) at a time, with an
 * opaque NextToken while more remain.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClients.html
 */
export const listUserPoolClients = defineOperation('ListUserPoolClients', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const size = input.MaxResults ?? DEFAULT_PAGE;
  const after = decodePageToken(input.NextToken ?? undefined, requestId);
  const rows = await services.store.clients.list(pool.id, size + 1, after);
  const page = slicePage(rows, size, (client) => client.clientId);
  return { UserPoolClients: page.items.map(toUserPoolClientDescription), ...(page.next ? { NextToken: page.next } : {}) };
});
