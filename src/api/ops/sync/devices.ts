import { randomUUID } from 'node:crypto';
import { InvalidConfigurationException, ResourceNotFoundException } from '../../../generated/cognito-sync/errors.js';
import type { Services } from '../../../services.js';
import type { SyncDeviceRecord } from '../../../store/ports.js';
import { defineSyncOperation } from '../../define-operation.js';
import { requireDataset, requireSyncIdentity, syncSettings } from './sync-shape.js';

/** Push sync must be configured (SetIdentityPoolConfiguration's PushSync) before devices register. */
async function requirePushSync(services: Services, identityPoolId: string): Promise<void> {
  const { pushSync } = await syncSettings(services, identityPoolId);
  if (!pushSync?.ApplicationArns?.length) throw new InvalidConfigurationException('Push sync is not configured for this identity pool.');
}

/** The identity's registered device of that ID, or ResourceNotFoundException. */
async function requireDevice(services: Services, identityId: string, deviceId: string): Promise<SyncDeviceRecord> {
  const device = await services.store.sync.device(deviceId);
  if (device?.identityId !== identityId) throw new ResourceNotFoundException(`Device '${deviceId}' not found.`);
  return device;
}

/**
 * RegisterDevice: registers a device's push token for the identity and answers its device ID; the
 * same token again answers the same device. The pool must have push sync configured.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_RegisterDevice.html
 */
export const registerDevice = defineSyncOperation('RegisterDevice', async (input, { services }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  await requirePushSync(services, input.IdentityPoolId);
  const device = await services.store.sync.registerDevice({
    deviceId: randomUUID(),
    identityPoolId: input.IdentityPoolId,
    identityId: input.IdentityId,
    platform: input.Platform,
    token: input.Token,
    createdAt: services.clock.now(),
  });
  return { DeviceId: device.deviceId };
});

/**
 * SubscribeToDataset: the device is told of the dataset's changes (stored; delivery is not
 * implemented yet).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_SubscribeToDataset.html
 */
export const subscribeToDataset = defineSyncOperation('SubscribeToDataset', async (input, { services }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  await requirePushSync(services, input.IdentityPoolId);
  await requireDataset(services, input.IdentityId, input.DatasetName);
  await requireDevice(services, input.IdentityId, input.DeviceId);
  await services.store.sync.subscribe(input.IdentityPoolId, input.IdentityId, input.DatasetName, input.DeviceId);
  return {};
});

/**
 * UnsubscribeFromDataset: the device is no longer told of the dataset's changes.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_UnsubscribeFromDataset.html
 */
export const unsubscribeFromDataset = defineSyncOperation('UnsubscribeFromDataset', async (input, { services }) => {
  await requireSyncIdentity(services, input.IdentityPoolId, input.IdentityId);
  await requirePushSync(services, input.IdentityPoolId);
  await requireDataset(services, input.IdentityId, input.DatasetName);
  await requireDevice(services, input.IdentityId, input.DeviceId);
  await services.store.sync.unsubscribe(input.IdentityId, input.DatasetName, input.DeviceId);
  return {};
});
