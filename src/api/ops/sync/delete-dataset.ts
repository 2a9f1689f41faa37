import { defineSyncOperation } from '../../define-operation.js';
import { datasetShape, requireDataset, requireSyncIdentity } from './sync-shape.js';

/**
 * DeleteDataset: deletes the dataset's records and subscriptions and answers the dataset as it
 * was. Its sync count moves on one, so devices that synced it learn at their next ListRecords that
 * it was deleted (DatasetDeletedAfterRequestedSyncCount); afterwards it is ResourceNotFoundException.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_DeleteDataset.html
 */
export const deleteDataset = defineSyncOperation('DeleteDataset', async (input, { services }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  const dataset = await requireDataset(services, input.IdentityId, input.DatasetName);
  await services.store.sync.deleteDataset(input.IdentityId, input.DatasetName, services.clock.now());
  return { Dataset: datasetShape(dataset) };
});
