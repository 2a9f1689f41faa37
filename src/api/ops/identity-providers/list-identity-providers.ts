import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';
import { toProviderDescription } from './provider-shape.js';

/**
 * ListIdentityProviders: the pool's providers in name order, `MaxResults` (up to 60) at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListIdentityProviders.html
 */
export const listIdentityProviders = defineOperation('ListIdentityProviders', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const after = decodePageToken(input.NextToken, requestId);
  const size = pageSize(input.MaxResults);
  const rows = await services.store.identityProviders.list(pool.id, size + 1, after);
  const page = slicePage(rows, size, (provider) => provider.name);
  return { Providers: page.items.map(toProviderDescription), ...(page.next ? { NextToken: page.next } : {}) };
});
