import { InvalidLambdaFunctionOutputException, LambdaThrottledException } from '../../../generated/cognito-sync/errors.js';
import type { RecordPatch, UpdateRecordsRequest } from '../../../generated/cognito-sync/shapes.js';
import type { Services } from '../../../services.js';
import { syncSettings } from './sync-shape.js';

/** One record of a SyncTrigger event: its value before the update, the update's value, and the operation. */
interface TriggerRecord {
  oldValue: string | null;
  newValue: string | null;
  op: 'replace' | 'remove';
}

/**
 * The patches after the pool's SyncTrigger function (SetCognitoEvents) has seen them. Cognito
 * invokes it, through the `functions` setting like the user pool triggers, with the event of its
 * developer guide (`eventType: "SyncTrigger"`, `datasetRecords` of each patched key's old value,
 * new value and op) and writes what it returns: a record it changed takes its `newValue` (or is
 * removed, with `op: "remove"`); keys it added are not written, as their sync count is unknown. A
 * function that fails or answers no `datasetRecords` is InvalidLambdaFunctionOutputException, one
 * that does not answer in time LambdaThrottledException; nothing is written then.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-events.html
 */
export async function triggeredPatches(services: Services, input: UpdateRecordsRequest, patches: RecordPatch[]): Promise<RecordPatch[]> {
  const functionArn = (await syncSettings(services, input.IdentityPoolId)).events['SyncTrigger'];
  if (functionArn === undefined || patches.length === 0) return patches;
  const current = await services.store.sync.recordsByKey(
    input.IdentityId,
    input.DatasetName,
    patches.map((patch) => patch.Key),
  );
  const datasetRecords: Record<string, TriggerRecord> = {};
  for (const patch of patches) {
    datasetRecords[patch.Key] = {
      oldValue: current.find((record) => record.key === patch.Key)?.value ?? null,
      newValue: patch.Op === 'replace' ? (patch.Value ?? '') : null,
      op: patch.Op,
    };
  }
  const event = {
    version: 2,
    eventType: 'SyncTrigger',
    region: services.config.region,
    identityPoolId: input.IdentityPoolId,
    identityId: input.IdentityId,
    datasetName: input.DatasetName,
    datasetRecords,
  };
  const outcome = await services.triggers.invoke(functionArn, event, { poolId: input.IdentityPoolId, triggerSource: 'SyncTrigger' });
  if (outcome.kind === 'timeout') throw new LambdaThrottledException('The SyncTrigger function did not answer in time.');
  const returned = outcome.kind === 'ok' ? outcome.result['datasetRecords'] : undefined;
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    throw new InvalidLambdaFunctionOutputException('The SyncTrigger function returned no datasetRecords.');
  }
  return patches.map((patch) => {
    const record = Object.hasOwn(returned, patch.Key) ? (returned as Record<string, Partial<TriggerRecord>>)[patch.Key] : undefined;
    if (record === undefined) return patch;
    if (record.op === 'remove' || record.newValue === null) return { ...patch, Op: 'remove', Value: undefined };
    if (typeof record.newValue !== 'string') {
      throw new InvalidLambdaFunctionOutputException(`The SyncTrigger function returned no newValue for ${patch.Key}.`);
    }
    return { ...patch, Op: 'replace', Value: record.newValue };
  });
}
