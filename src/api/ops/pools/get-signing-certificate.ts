import { createPrivateKey } from 'node:crypto';
import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import type { Services } from '../../../services.js';
import type { SigningKeyRecord } from '../../../store/ports.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

/** Cognito's signing certificates are valid for 10 years from issue. */
const VALIDITY_MS = 10 * 365.25 * 24 * 60 * 60 * 1000;

async function newestIdKey(services: Services, poolId: string): Promise<SigningKeyRecord | undefined> {
  const keys = (await services.store.signingKeys.list(poolId)).filter((k) => k.purpose === 'id' && k.status === 'active');
  return keys.sort((a, b) => a.createdAt - b.createdAt).at(-1);
}

/**
 * GetSigningCertificate: an X.509 certificate for the pool's signing key, as the base64 body of
 * its PEM form (no header lines), which is how Cognito returns it. Cognate self-signs a
 * certificate for the key that signs ID tokens; it is derived from that key alone, so repeated
 * calls return the same certificate until the key rotates.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetSigningCertificate.html
 */
export const getSigningCertificate = defineOperation('GetSigningCertificate', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  let key = await newestIdKey(services, pool.id);
  if (!key) {
    // Pools get keys when created; this only covers a store that lost them.
    await services.keys.signingKey(pool.id, 'id');
    key = await newestIdKey(services, pool.id);
  }
  if (!key) throw new Error(`pool ${pool.id} has no ID-token signing key`);
  const der = selfSignedCertificate({
    privateKey: createPrivateKey(key.privateKey),
    commonName: pool.id,
    notBefore: key.createdAt,
    notAfter: key.createdAt + VALIDITY_MS,
    serialSeed: key.kid,
  });
  return { Certificate: der.toString('base64') };
});
