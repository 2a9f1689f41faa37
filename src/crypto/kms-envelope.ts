import { randomBytes } from 'node:crypto';
import type { Sealer } from './sealing.js';

/** Key/value pairs KMS binds to a data key (the AWS Encryption SDK puts its signing key here). */
export type EncryptionContext = Readonly<Record<string, string>>;

/** A data key as KMS's GenerateDataKey and Decrypt answer it. */
export interface DataKey {
  KeyId: string;
  Plaintext: Uint8Array;
}

/** Sealing context of a data key: its encryption context, canonical, so a changed context fails to open. */
function dataKeyContext(context: EncryptionContext | undefined): string {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `kms-data-key\n${JSON.stringify(entries)}`;
}

/**
 * Wraps a data key as KMS would, into the `CiphertextBlob` an `aws-kms` encrypted data key carries:
 * here the key and its KMS key ARN sealed under the server's master key, so only this server's
 * {@link unwrapDataKey} (behind its KMS Decrypt route) opens it.
 */
function wrapDataKey(sealer: Sealer, keyId: string, plaintext: Uint8Array, context: EncryptionContext | undefined): Uint8Array {
  const sealed = sealer.seal(JSON.stringify({ keyId, key: Buffer.from(plaintext).toString('base64') }), dataKeyContext(context));
  return new Uint8Array(Buffer.from(sealed, 'utf8'));
}

/**
 * Opens a `CiphertextBlob` made by this server, under the encryption context it was made with;
 * undefined when the blob is not ours, was altered, or the context differs (KMS's
 * InvalidCiphertextException).
 */
export function unwrapDataKey(sealer: Sealer, blob: Uint8Array, context: EncryptionContext | undefined): DataKey | undefined {
  const opened = sealer.openString(Buffer.from(blob).toString('utf8'), dataKeyContext(context));
  if (opened === null) return undefined;
  const { keyId, key } = JSON.parse(opened) as { keyId: string; key: string };
  return { KeyId: keyId, Plaintext: new Uint8Array(Buffer.from(key, 'base64')) };
}

/**
 * The part of a KMS client the AWS Encryption SDK's KMS keyring calls to encrypt, answered in
 * process: GenerateDataKey makes a random key and wraps it with {@link wrapDataKey}.
 */
function sealingKms(sealer: Sealer) {
  return {
    async generateDataKey(args: { KeyId: string; NumberOfBytes?: number; EncryptionContext?: EncryptionContext }) {
      const plaintext = new Uint8Array(randomBytes(args.NumberOfBytes ?? 32));
      const CiphertextBlob = wrapDataKey(sealer, args.KeyId, plaintext, args.EncryptionContext);
      return { KeyId: args.KeyId, Plaintext: plaintext, CiphertextBlob };
    },
    async encrypt(args: { KeyId: string; Plaintext: Uint8Array; EncryptionContext?: EncryptionContext }) {
      return { KeyId: args.KeyId, CiphertextBlob: wrapDataKey(sealer, args.KeyId, args.Plaintext, args.EncryptionContext) };
    },
    async decrypt(args: { CiphertextBlob: Uint8Array; EncryptionContext?: EncryptionContext }) {
      const key = unwrapDataKey(sealer, args.CiphertextBlob, args.EncryptionContext);
      if (!key) throw new Error('not a data key of this server');
      return key;
    },
  };
}

/**
 * The AWS Encryption SDK's encrypt and KMS keyring, loaded on first use: only a pool with a custom
 * sender trigger needs them, and they are among the heaviest imports of the server's start-up.
 * Committing suite (the SDK's default): a handler built with REQUIRE_ENCRYPT_ALLOW_DECRYPT (AWS's
 * example) or with the stricter default both decrypt it.
 */
async function loadEncryptionSdk() {
  const { buildClient, CommitmentPolicy, KmsKeyringNode } = await import('@aws-crypto/client-node');
  return { encrypt: buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT).encrypt, KmsKeyringNode };
}
let encryptionSdk: ReturnType<typeof loadEncryptionSdk> | undefined;

/**
 * Encrypts a code for a custom sender trigger as Cognito does: an AWS Encryption SDK message, base64,
 * whose one encrypted data key is an `aws-kms` key naming `keyArn` (the pool's
 * `LambdaConfig.KMSKeyID`). A handler decrypts it with the SDK's `KmsKeyringNode` and a KMS client
 * pointed at this server (`AWS_ENDPOINT_URL_KMS`), which answers `TrentService.Decrypt` for it.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
 */
export async function encryptForCustomSender(sealer: Sealer, keyArn: string, code: string): Promise<string> {
  const { encrypt, KmsKeyringNode } = await (encryptionSdk ??= loadEncryptionSdk());
  const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => sealingKms(sealer) });
  const { result } = await encrypt(keyring, code);
  return Buffer.from(result).toString('base64');
}
