import type { Services } from '../services.js';
import { CognitoError, SerializationException, UnknownOperationException } from '../errors/cognito-error.js';
import { unwrapDataKey } from '../crypto/kms-envelope.js';
import { verifySigV4 } from './sigv4.js';
import type { ApiRequest, ApiResponse } from './dispatch.js';

/** KMS's awsJson1_1 target prefix: `X-Amz-Target: TrentService.Decrypt`. */
export const KMS_TARGET_PREFIX = 'TrentService';

/**
 * KMS's answer to a ciphertext it did not make, or made under another encryption context. The
 * real service sends no message for it.
 */
class InvalidCiphertextException extends CognitoError {
  constructor() {
    super('InvalidCiphertextException', 400, '');
  }
}

class IncorrectKeyException extends CognitoError {
  constructor() {
    super('IncorrectKeyException', 400, 'The key ID in the request does not identify a KMS key that can perform this operation.');
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function parseDecryptInput(body: Buffer): { blob: Uint8Array; keyId: string | undefined; context: Record<string, string> | undefined } {
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationException('Start of structure or map found where not expected.');
  }
  const { CiphertextBlob, KeyId, EncryptionContext } = (typeof input === 'object' && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  if (typeof CiphertextBlob !== 'string' || CiphertextBlob === '') throw new InvalidCiphertextException();
  if (KeyId !== undefined && typeof KeyId !== 'string') throw new SerializationException('Expected a string for KeyId.');
  if (EncryptionContext !== undefined && !isStringMap(EncryptionContext)) {
    throw new SerializationException('Expected a map of strings for EncryptionContext.');
  }
  return { blob: new Uint8Array(Buffer.from(CiphertextBlob, 'base64')), keyId: KeyId, context: EncryptionContext };
}

/**
 * The one KMS operation Cognate answers: `TrentService.Decrypt` of the data keys it wrapped when it
 * encrypted a code for a custom sender trigger (src/crypto/kms-envelope.ts), so a handler written
 * for AWS (`KmsKeyringNode` + `decrypt()`) runs unchanged with `AWS_ENDPOINT_URL_KMS` set to this
 * server. Signed with SigV4 (service `kms`) by an admin key pair, as the function's role would sign
 * it on AWS. Every other KMS target is UnknownOperationException.
 *
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
 */
export async function dispatchKms(services: Services, req: ApiRequest, target: string): Promise<ApiResponse> {
  try {
    if (target !== `${KMS_TARGET_PREFIX}.Decrypt`) throw new UnknownOperationException();
    verifySigV4(req, {
      secretFor: (id) => services.secretFor(id),
      service: 'kms',
      region: services.config.region,
      now: services.clock.now(),
    });
    const { blob, keyId, context } = parseDecryptInput(req.body);
    const key = unwrapDataKey(services.sealer, blob, context);
    if (!key) throw new InvalidCiphertextException();
    if (keyId !== undefined && keyId !== key.KeyId) throw new IncorrectKeyException();
    const output = { KeyId: key.KeyId, Plaintext: Buffer.from(key.Plaintext).toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    return { status: 200, body: JSON.stringify(output), operation: 'kms:Decrypt' };
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    const body = error.message === '' ? { __type: error.type } : { __type: error.type, message: error.message };
    return { status: error.status, body: JSON.stringify(body), errorType: error.type, operation: 'kms:Decrypt' };
  }
}
