import { createHash } from 'node:crypto';
import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { LogoContentType, UiCustomizationRecord } from '../../../store/ports.js';
import { CssRejected, checkCustomizableCss } from '../../../pages/branding-css.js';
import { versionAt } from '../domains/domain-shape.js';
import { requireCustomizedClient, requireDomain, toUICustomizationType } from './ui-customization-shape.js';

/** Cognito's limit for the logo: 100 KB before base64. */
const MAX_LOGO_BYTES = 100 * 1024;

/** PNG and JPEG, the two formats Cognito takes, told apart by their signatures. */
function logoType(bytes: Buffer): LogoContentType | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

function checkLogo(bytes: Buffer): LogoContentType {
  if (bytes.length > MAX_LOGO_BYTES) throw new InvalidParameterException('The image file cannot be larger than 100 KB.');
  const type = logoType(bytes);
  if (!type) throw new InvalidParameterException('The image file must be a PNG or JPEG image.');
  return type;
}

/**
 * SetUICustomization: replaces the branding of one app client, or the pool's default under
 * ClientId `ALL` (also when ClientId is absent). CSS and logo are set together, so a request with
 * only one of them drops the other; a request with neither removes the customization, as
 * Terraform's AWS provider relies on.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUICustomization.html
 */
export const setUICustomization = defineOperation('SetUICustomization', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  await requireDomain(services, pool);
  const clientId = await requireCustomizedClient(services, pool, input.ClientId);
  const css = input.CSS !== undefined && input.CSS !== '' ? input.CSS : null;
  if (css !== null) {
    try {
      checkCustomizableCss(css);
    } catch (error) {
      if (error instanceof CssRejected) throw new InvalidParameterException(error.message);
      throw error;
    }
  }
  const logo = input.ImageFile !== undefined ? Buffer.from(input.ImageFile, 'base64') : undefined;
  const logoBytes = logo !== undefined && logo.length > 0 ? logo : null;
  const type = logoBytes ? checkLogo(logoBytes) : null;

  if (css === null && logoBytes === null) {
    await services.store.uiCustomizations.delete(pool.id, clientId);
    return { UICustomization: { UserPoolId: pool.id, ClientId: clientId } };
  }
  const now = services.clock.now();
  const existing = await services.store.uiCustomizations.get(pool.id, clientId);
  const record: UiCustomizationRecord = {
    poolId: pool.id,
    clientId,
    css,
    logoType: type,
    logoDigest: logoBytes ? createHash('sha256').update(logoBytes).digest('hex').slice(0, 32) : null,
    cssVersion: versionAt(now),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await services.store.uiCustomizations.put(record, logoBytes);
  return { UICustomization: toUICustomizationType(services, record) };
});
