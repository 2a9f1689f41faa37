import { randomBytes } from 'node:crypto';
import { clientKey, computeX, formatTimestamp, g, modPowN, passwordVerifierResponses } from '../src/crypto/srp.js';

/**
 * The client half of USER_SRP_AUTH, as amazon-cognito-identity-js computes it, on Cognate's own SRP
 * math. The load generator shares the machine with the server, so it keeps its own work small:
 * ephemeral keys (a, A) come from a precomputed pool and x and g^x are cached per user and salt,
 * leaving one modular exponentiation per sign-in.
 */

export interface Ephemeral {
  a: bigint;
  /** SRP_A as hex. */
  A: string;
}

/** `count` client ephemerals a (256-bit, like the server's b) with A = g^a mod N. */
export function ephemerals(count: number): Ephemeral[] {
  return Array.from({ length: count }, () => {
    const a = BigInt(`0x${randomBytes(32).toString('hex')}`);
    return { a, A: modPowN(g, a).toString(16) };
  });
}

/** The PASSWORD_VERIFIER challenge parameters a server sends back for USER_SRP_AUTH. */
export interface VerifierChallenge {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
}

export class SrpClient {
  private readonly poolName: string;
  private readonly secrets = new Map<string, { x: bigint; gx: bigint }>();

  constructor(
    poolId: string,
    private readonly password: string,
  ) {
    this.poolName = poolId.slice(poolId.indexOf('_') + 1);
  }

  /** ChallengeResponses for RespondToAuthChallenge PASSWORD_VERIFIER. */
  respond(ephemeral: Ephemeral, challenge: VerifierChallenge, now = Date.now()): Record<string, string> {
    const userId = challenge.USER_ID_FOR_SRP;
    const cacheKey = `${userId}\u0000${challenge.SALT}`;
    let secret = this.secrets.get(cacheKey);
    if (!secret) {
      const x = computeX(challenge.SALT, this.poolName, userId, this.password);
      secret = { x, gx: modPowN(g, x) };
      this.secrets.set(cacheKey, secret);
    }
    const key = clientKey(ephemeral.a, BigInt(`0x${ephemeral.A}`), BigInt(`0x${challenge.SRP_B}`), secret.x, secret.gx);
    return passwordVerifierResponses(key, this.poolName, userId, challenge.SECRET_BLOCK, formatTimestamp(now));
  }
}
