import { randomBytes } from 'node:crypto';
import { N, claimSignature, computeU, computeX, deriveKey, formatTimestamp, g, k, modPowN } from '../../src/crypto/srp.js';

/**
 * The client half of Cognito's SRP from src/crypto/srp.ts (whose formulas are checked against
 * amazon-cognito-identity-js's known answers), for tests that need a USER_SRP_AUTH sign-in without
 * a client library: `A` to send in InitiateAuth, then the PASSWORD_VERIFIER responses.
 */
export interface SrpClient {
  readonly srpA: string;
  /** ChallengeResponses for PASSWORD_VERIFIER, from the challenge's parameters. */
  respond(params: Record<string, string>, password: string, now?: number): Record<string, string>;
}

export function srpClient(poolId: string): SrpClient {
  const poolName = poolId.slice(poolId.indexOf('_') + 1);
  const a = BigInt(`0x${randomBytes(128).toString('hex')}`) % N;
  const A = modPowN(g, a);
  return {
    srpA: A.toString(16),
    respond(params, password, now = Date.now()) {
      const userId = params['USER_ID_FOR_SRP']!;
      const B = BigInt(`0x${params['SRP_B']!}`);
      const u = computeU(A, B);
      const x = computeX(params['SALT']!, poolName, userId, password);
      const base = (((B - ((k * modPowN(g, x)) % N)) % N) + N) % N;
      const key = deriveKey(modPowN(base, a + u * x), u);
      const timestamp = formatTimestamp(now);
      const secretBlock = params['SECRET_BLOCK']!;
      return {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, userId, secretBlock, timestamp).toString('base64'),
      };
    },
  };
}
