import type { AnySyncOperation } from '../../define-operation.js';
import { listDatasets } from './list-datasets.js';
import { describeDataset } from './describe-dataset.js';
import { deleteDataset } from './delete-dataset.js';
import { listRecords } from './list-records.js';
import { updateRecords } from './update-records.js';
import { describeIdentityPoolUsage, describeIdentityUsage, listIdentityPoolUsage } from './usage.js';
import { getCognitoEvents, setCognitoEvents } from './cognito-events.js';
import { getIdentityPoolConfiguration, setIdentityPoolConfiguration } from './identity-pool-configuration.js';
import { registerDevice, subscribeToDataset, unsubscribeFromDataset } from './devices.js';
import { bulkPublish, getBulkPublishDetails } from './bulk-publish.js';

/** Cognito Sync's operations: an identity's datasets and records, and the pool's Sync settings. */
export const syncOperations: readonly AnySyncOperation[] = [
  listDatasets,
  describeDataset,
  deleteDataset,
  listRecords,
  updateRecords,
  describeIdentityPoolUsage,
  listIdentityPoolUsage,
  describeIdentityUsage,
  getCognitoEvents,
  setCognitoEvents,
  getIdentityPoolConfiguration,
  setIdentityPoolConfiguration,
  registerDevice,
  subscribeToDataset,
  unsubscribeFromDataset,
  bulkPublish,
  getBulkPublishDetails,
];
