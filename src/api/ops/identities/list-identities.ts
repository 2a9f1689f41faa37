import { defineIdentityOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { toIdentityDescription } from './identity-shape.js';

/**
 * ListIdentities: a pool's identities in ID order, MaxResults (1-60, required) at a time, with an
 * opaque NextToken while more remain. Cognate never disables an identity, so HideDisabled changes
 * nothing.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_ListIdentities.html
 */
export const listIdentities = defineIdentityOperation('ListIdentities', async (input, { services, requestId }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const after = decodePageToken(input.NextToken, requestId);
  const rows = await services.store.identities.list(pool.id, input.MaxResults + 1, after);
  const page = slicePage(rows, input.MaxResults, (identity) => identity.id);
  return {
    IdentityPoolId: pool.id,
    Identities: page.items.map(toIdentityDescription),
    ...(page.next ? { NextToken: page.next } : {}),
  };
});
