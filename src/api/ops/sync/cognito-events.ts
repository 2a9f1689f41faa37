import { InvalidParameterException } from '../../../generated/cognito-sync/errors.js';
import { defineSyncOperation } from '../../define-operation.js';
import { requireSyncPool, syncSettings } from './sync-shape.js';

/** The one event Cognito Sync has: the Lambda function that sees each UpdateRecords. */
const SYNC_TRIGGER = 'SyncTrigger';

/**
 * GetCognitoEvents (admin): the pool's events and the Lambda function ARN of each.
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_GetCognitoEvents.html
 */
export const getCognitoEvents = defineSyncOperation('GetCognitoEvents', async (input, { services }) => {
  await requireSyncPool(services, input.IdentityPoolId);
  return { Events: (await syncSettings(services, input.IdentityPoolId)).events };
});

/**
 * SetCognitoEvents (admin): sets the Lambda function of an event (`SyncTrigger`, the only one);
 * an empty ARN removes it. UpdateRecords runs it through the `functions` setting (sync-trigger.ts).
 *
 * @see https://docs.aws.amazon.com/cognitosync/latest/APIReference/API_SetCognitoEvents.html
 */
export const setCognitoEvents = defineSyncOperation('SetCognitoEvents', async (input, { services }) => {
  await requireSyncPool(services, input.IdentityPoolId);
  const settings = await syncSettings(services, input.IdentityPoolId);
  const events = { ...settings.events };
  for (const [type, arn] of Object.entries(input.Events)) {
    if (type !== SYNC_TRIGGER) throw new InvalidParameterException(`Invalid Cognito event type: ${type}`);
    if (arn === '') delete events[type];
    else if (!/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(arn)) {
      throw new InvalidParameterException(`Invalid Lambda function ARN: ${arn}`);
    } else events[type] = arn;
  }
  await services.store.sync.putSettings({ ...settings, events, updatedAt: services.clock.now() });
  return {};
});
