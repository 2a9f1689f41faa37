import { defineSyncOperation } from '../../define-operation.js';
import type { SyncPoolSettings } from '../../../store/ports.js';
import { requireSyncPool, syncSettings } from './sync-shape.js';

/** The configuration answer: the pool's push sync and Cognito Streams settings, where set. */
function configuration(settings: SyncPoolSettings) {
  return {
    IdentityPoolId: settings.identityPoolId,
    ...(settings.pushSync ? { PushSync: settings.pushSync } : {}),
    ...(settings.cognitoStreams ? { CognitoStreams: settings.cognitoStreams } : {}),
  };
}

/**
 * GetIdentityPoolConfiguration (admin): the pool's push sync and Cognito Streams settings.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_GetIdentityPoolConfiguration.html
 */
export const getIdentityPoolConfiguration = defineSyncOperation('GetIdentityPoolConfiguration', async (input, { services }) => {
  await requireSyncPool(services, input.IdentityPoolId);
  return configuration(await syncSettings(services, input.IdentityPoolId));
});

/**
 * SetIdentityPoolConfiguration (admin): replaces the push sync and Cognito Streams settings the
 * call gives, keeping the other; both are stored (push goes to a webhook, not to SNS).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_SetIdentityPoolConfiguration.html
 */
export const setIdentityPoolConfiguration = defineSyncOperation('SetIdentityPoolConfiguration', async (input, { services }) => {
  await requireSyncPool(services, input.IdentityPoolId);
  const settings = await syncSettings(services, input.IdentityPoolId);
  const updated: SyncPoolSettings = {
    ...settings,
    pushSync: input.PushSync ?? settings.pushSync,
    cognitoStreams: input.CognitoStreams ? { StreamingStatus: 'ENABLED', ...input.CognitoStreams } : settings.cognitoStreams,
    updatedAt: services.clock.now(),
  };
  await services.store.sync.putSettings(updated);
  return configuration(updated);
});
