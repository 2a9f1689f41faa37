import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Services } from '../../../services.js';
import { ENCRYPTION_CERTIFICATE_DETAIL, ENCRYPTION_KEY_DETAIL, encryptionKeyContext } from '../../../oauth/federation/saml-encryption.js';
import { selfSignedCertificate } from '../pools/self-signed-certificate.js';

const generateRsa = promisify(generateKeyPair);

/** Cognito's user pool SAML certificates are valid for 10 years. */
const VALIDITY_MS = 10 * 365.25 * 24 * 60 * 60 * 1000;

/**
 * The details of a SAML provider with its encryption key pair: the one it already had (kept
 * across updates, so IdPs need not be reconfigured), or a new RSA key with a self-signed
 * certificate for a provider that has none.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-SAML-signing-encryption.html
 */
export async function withSamlEncryptionKey(
  services: Services,
  poolId: string,
  providerName: string,
  details: Readonly<Record<string, string>>,
  stored?: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const certificate = stored?.[ENCRYPTION_CERTIFICATE_DETAIL];
  const sealedKey = stored?.[ENCRYPTION_KEY_DETAIL];
  if (certificate && sealedKey) return { ...details, [ENCRYPTION_CERTIFICATE_DETAIL]: certificate, [ENCRYPTION_KEY_DETAIL]: sealedKey };

  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const now = services.clock.now();
  const der = selfSignedCertificate({
    privateKey,
    commonName: poolId,
    notBefore: now,
    notAfter: now + VALIDITY_MS,
    serialSeed: randomBytes(16).toString('hex'),
  });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    ...details,
    [ENCRYPTION_CERTIFICATE_DETAIL]: der.toString('base64'),
    [ENCRYPTION_KEY_DETAIL]: services.sealer.seal(pem, encryptionKeyContext(poolId, providerName)),
  };
}
