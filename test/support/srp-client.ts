import { randomBytes } from 'node:crypto';
import { N, clientKey, computeX, formatTimestamp, g, modPowN, passwordVerifierResponses } from '../../src/crypto/srp.js';

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
      const key = clientKey(a, A, BigInt(`0x${params['SRP_B']!}`), computeX(params['SALT']!, poolName, userId, password));
      return passwordVerifierResponses(key, poolName, userId, params['SECRET_BLOCK']!, formatTimestamp(now));
    },
  };
}
