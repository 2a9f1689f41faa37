import { defineSyncOperation } from '../../define-operation.js';
import { datasetShape, requireDataset, requireSyncIdentity } from './sync-shape.js';

/**
 * DescribeDataset: a dataset's dates, size and record count; a deleted or never-written dataset
 * is ResourceNotFoundException.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_DescribeDataset.html
 */
export const describeDataset = defineSyncOperation('DescribeDataset', async (input, { services }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  return { Dataset: datasetShape(await requireDataset(services, input.IdentityId, input.DatasetName)) };
});
