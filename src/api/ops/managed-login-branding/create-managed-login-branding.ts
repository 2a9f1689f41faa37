import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { InvalidParameterException, ManagedLoginBrandingExistsException } from '../../../generated/cognito-idp/errors.js';
import { newUuid } from '../../../lib/ids.js';
import type { ManagedLoginBrandingRecord } from '../../../store/ports.js';
import { PROVIDED_OR_SETTINGS, checkAssets, settingsOf, toBrandingType } from './branding-shape.js';

/**
 * CreateManagedLoginBranding: a new style for one app client, either Cognito's own look
 * (UseCognitoProvidedValues, with no Settings or Assets) or the given Settings and Assets. A
 * client has at most one style.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
 */
export const createManagedLoginBranding = defineOperation('CreateManagedLoginBranding', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  const provided = input.UseCognitoProvidedValues === true;
  const settings = settingsOf(input.Settings);
  // "When you specify true for this option, you must also omit values for Settings and Assets."
  if (provided === (settings !== undefined) || (provided && (input.Assets?.length ?? 0) > 0)) {
    throw new InvalidParameterException(PROVIDED_OR_SETTINGS);
  }
  const changed = checkAssets(input.Assets);
  const now = services.clock.now();
  const record: ManagedLoginBrandingRecord = {
    id: newUuid(),
    poolId: pool.id,
    clientId: client.clientId,
    useCognitoProvidedValues: provided,
    settings: settings ?? null,
    assets: changed.map(({ bytes: _bytes, ...asset }) => asset),
    createdAt: now,
    updatedAt: now,
  };
  const created = await services.store.transaction((store) => store.managedLoginBrandings.create(record, changed));
  if (!created) throw new ManagedLoginBrandingExistsException(`A ManagedLoginBranding already exists for client ${client.clientId}`);
  return { ManagedLoginBranding: await toBrandingType(services, record, false) };
});
