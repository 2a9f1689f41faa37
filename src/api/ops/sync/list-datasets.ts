import { defineSyncOperation } from '../../define-operation.js';
import { decodePageToken, slicePage } from '../../paging.js';
import { datasetShape, requireSyncIdentity } from './sync-shape.js';

/**
 * ListDatasets: the identity's datasets in name order (deleted ones are gone from the list), a page
 * at a time (MaxResults, 20 by default: an identity has at most 20).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_ListDatasets.html
 */
export const listDatasets = defineSyncOperation('ListDatasets', async (input, { services, requestId }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  const size = input.MaxResults === undefined || input.MaxResults < 1 ? 20 : Math.min(input.MaxResults, 60);
  const after = decodePageToken(input.NextToken, requestId);
  const rows = await services.store.sync.datasets(input.IdentityId, size + 1, after);
  const page = slicePage(rows, size, (dataset) => dataset.name);
  return { Datasets: page.items.map(datasetShape), Count: page.items.length, ...(page.next ? { NextToken: page.next } : {}) };
});
