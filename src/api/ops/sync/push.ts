import { postSyncPush } from '../../../messaging/sync-push.js';
import type { Services } from '../../../services.js';

/** How long the push webhook has to take one notification. */
const PUSH_TIMEOUT_MS = 5000;

/**
 * Tells the devices subscribed to a dataset (SubscribeToDataset) that it changed, through the
 * `syncPushWebhook` setting, one POST per device; the device that made the change (UpdateRecords'
 * DeviceId) is not told. Runs after the answer, as Cognito's push does: a failure is logged, never
 * the caller's error. Nothing is sent without a webhook.
 */
export function pushDatasetChange(
  services: Services,
  change: { identityPoolId: string; identityId: string; datasetName: string; syncCount: number; sourceDeviceId: string | undefined },
): void {
  const url = services.config.syncPushWebhook;
  if (url === undefined) return;
  const deliver = async (): Promise<void> => {
    const devices = await services.store.sync.subscribers(change.identityId, change.datasetName);
    for (const device of devices) {
      if (device.deviceId === change.sourceDeviceId) continue;
      const failure = await postSyncPush(
        url,
        {
          platform: device.platform,
          token: device.token,
          deviceId: device.deviceId,
          message: {
            data: {
              source: 'cognito-sync',
              type: 'push-sync',
              identityPoolId: change.identityPoolId,
              identityId: change.identityId,
              datasetName: change.datasetName,
              syncCount: change.syncCount,
            },
          },
        },
        PUSH_TIMEOUT_MS,
      );
      if (failure !== undefined) services.logger.warn({ deviceId: device.deviceId, reason: failure }, 'sync push delivery failed');
    }
  };
  deliver().catch((error: unknown) => services.logger.warn({ err: error }, 'sync push delivery failed'));
}
