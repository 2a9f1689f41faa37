import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { toTermsDescriptionType } from './terms-shape.js';

/** ListTermsRequestMaxResultsInteger allows 1-60; no MaxResults means the largest page. */
const MAX_PAGE = 60;

/**
 * ListTerms: the pool's terms documents of every client, in ID order, `MaxResults` at a time.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListTerms.html
 */
export const listTerms = defineOperation('ListTerms', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const after = decodePageToken(input.NextToken, requestId);
  const size = input.MaxResults ?? MAX_PAGE;
  const rows = await services.store.terms.list(pool.id, size + 1, after);
  const page = slicePage(rows, size, (terms) => terms.termsId);
  return { Terms: page.items.map(toTermsDescriptionType), ...(page.next ? { NextToken: page.next } : {}) };
});
