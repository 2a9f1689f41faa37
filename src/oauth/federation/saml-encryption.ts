import type { Services } from '../../services.js';
import type { IdentityProviderRecord } from '../../store/ports.js';

/*
 * Cognito gives every SAML provider an RSA key pair and a certificate; an IdP that encrypts its
 * assertions (EncryptedResponses "true") encrypts them to that certificate, which
 * DescribeIdentityProvider shows as ActiveEncryptionCertificate: the base64 DER of the certificate,
 * without PEM header lines ("MIIC..."). The private key is kept among the provider's details,
 * sealed on its own under the master key, and is never shown.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-SAML-signing-encryption.html
 */

/** The detail Describe shows: the certificate IdPs encrypt assertions to. */
export const ENCRYPTION_CERTIFICATE_DETAIL = 'ActiveEncryptionCertificate';

/** The detail that holds the sealed private key; no request can set it, and no response shows it. */
export const ENCRYPTION_KEY_DETAIL = 'cognate:EncryptionPrivateKey';

/** SAML details kept and used, never shown. */
export const SAML_HIDDEN_DETAILS: readonly string[] = [ENCRYPTION_KEY_DETAIL];

/** Binds a sealed key to its pool and provider, so a copied value fails to open elsewhere. */
export function encryptionKeyContext(poolId: string, providerName: string): string {
  return `saml-encryption-key:${poolId}:${providerName}`;
}

/** The PEM private key that decrypts assertions sent to the provider's certificate, when it has one. */
export function samlDecryptionKey(services: Services, provider: IdentityProviderRecord): string | undefined {
  const sealed = provider.details[ENCRYPTION_KEY_DETAIL];
  if (!sealed) return undefined;
  const key = services.sealer.openString(sealed, encryptionKeyContext(provider.poolId, provider.name));
  if (key === null) throw new Error(`identity provider ${provider.name}: encryption key fails to open (wrong master key?)`);
  return key;
}
