import { DeviceKeyExistsException, InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { DeviceSecretVerifierConfigType } from '../../../generated/cognito-idp/shapes.js';
import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { deviceTrackingEnabled, sealDeviceVerifier } from '../../../auth/devices.js';
import { N, type SrpVerifier } from '../../../crypto/srp.js';

/**
 * What ConfirmDevice answers for a key it did not issue to this user (or at all, on a pool that
 * does not track devices). Text of real responses: boto/boto3#4059,
 * aws/aws-aspnet-cognito-identity-provider#206, aws-amplify/amplify-js#2087.
 */
const INVALID_DEVICE_KEY = 'Invalid device key given.';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Hex(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || !BASE64.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('hex');
}

/**
 * The salt and verifier (hex) of DeviceSecretVerifierConfig: base64 of the bytes of the client's
 * `padHex` values. A verifier outside 1..N-1 could never come from g^x mod N; one that is 0 mod N
 * would let anyone who knows the device key pass device authentication, so it is refused.
 */
function parseVerifierConfig(config: DeviceSecretVerifierConfigType): SrpVerifier {
  const salt = base64Hex(config.Salt);
  const verifierHex = base64Hex(config.PasswordVerifier);
  const v = verifierHex === undefined ? 0n : BigInt(`0x${verifierHex}`);
  if (salt === undefined || v <= 0n || v >= N) {
    // Not a text seen from AWS: a best guess in Cognito's style.
    throw new InvalidParameterException('Invalid device secret verifier config.');
  }
  return { salt, verifier: v.toString(16) };
}

/**
 * ConfirmDevice: starts tracking the device a sign-in returned in NewDeviceMetadata, with the SRP
 * verifier of its device secret. Pools that always remember devices remember it now; user-opt-in
 * pools (DeviceOnlyRememberedOnUserPrompt) answer UserConfirmationNecessary and wait for
 * UpdateDeviceStatus.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmDevice.html
 */
export const confirmDevice = defineOperation('ConfirmDevice', async (input, { services }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  const device = deviceTrackingEnabled(pool) ? await services.store.devices.get(pool.id, input.DeviceKey) : undefined;
  if (!device || device.usernameKey !== user.usernameKey) throw new InvalidParameterException(INVALID_DEVICE_KEY);
  // Modelled for this case ("a device key that already exists"); the text is a best guess.
  const exists = (): DeviceKeyExistsException => new DeviceKeyExistsException('Device key already exists.');
  if (device.status === 'confirmed') throw exists();

  const verifier = input.DeviceSecretVerifierConfig === undefined ? undefined : parseVerifierConfig(input.DeviceSecretVerifierConfig);
  const userConfirmationNecessary = pool.config.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
  const saved = await services.store.devices.update(
    {
      ...device,
      status: 'confirmed',
      rememberedStatus: userConfirmationNecessary ? 'not_remembered' : 'remembered',
      name: input.DeviceName ?? null,
      sealedVerifier: verifier === undefined ? null : sealDeviceVerifier(services, device, verifier),
      lastModifiedAt: services.clock.now(),
    },
    'unconfirmed',
  );
  // A concurrent ConfirmDevice of the same key got there first.
  if (!saved) throw exists();
  return { UserConfirmationNecessary: userConfirmationNecessary };
});
