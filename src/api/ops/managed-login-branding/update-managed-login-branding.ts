import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { mergeSettings } from '../../../domain/managed-login-branding.js';
import type { ManagedLoginBrandingRecord } from '../../../store/ports.js';
import { PROVIDED_OR_SETTINGS, assetKey, checkAssets, requireBranding, settingsOf, toBrandingType } from './branding-shape.js';

/**
 * UpdateManagedLoginBranding: changes a style in place. What the request leaves out stays, so a
 * style larger than the 2 MB request limit can be sent in parts: Settings are laid over the
 * stored ones member by member, and each asset replaces the style's asset of its category and
 * colour mode. UseCognitoProvidedValues `true` (with no Settings or Assets) resets the style to
 * Cognito's own look, dropping its settings and assets.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateManagedLoginBranding.html
 */
export const updateManagedLoginBranding = defineOperation('UpdateManagedLoginBranding', async (input, { services }) => {
  // Both members are optional in the model, but a style is named by the two together.
  if (input.UserPoolId === undefined || input.ManagedLoginBrandingId === undefined) {
    throw new InvalidParameterException('UserPoolId and ManagedLoginBrandingId must be specified.');
  }
  const pool = await requirePool(services, input.UserPoolId);
  const existing = await requireBranding(services, pool.id, input.ManagedLoginBrandingId);
  const settings = settingsOf(input.Settings);
  const reset = input.UseCognitoProvidedValues === true;
  if (reset && (settings !== undefined || (input.Assets?.length ?? 0) > 0)) throw new InvalidParameterException(PROVIDED_OR_SETTINGS);
  const changed = checkAssets(input.Assets, existing.assets);

  const changedKeys = new Set(changed.map(assetKey));
  const customized = settings !== undefined || changed.length > 0;
  const record: ManagedLoginBrandingRecord = {
    ...existing,
    useCognitoProvidedValues: reset || (existing.useCognitoProvidedValues && !customized && input.UseCognitoProvidedValues !== false),
    settings: reset ? null : settings === undefined ? existing.settings : mergeSettings(existing.settings ?? {}, settings),
    assets: reset
      ? []
      : [...existing.assets.filter((asset) => !changedKeys.has(assetKey(asset))), ...changed.map(({ bytes: _bytes, ...asset }) => asset)],
    updatedAt: services.clock.now(),
  };
  await services.store.transaction((store) => store.managedLoginBrandings.update(record, changed, reset));
  return { ManagedLoginBranding: await toBrandingType(services, record, false) };
});
