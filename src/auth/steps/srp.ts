import { randomBytes } from 'node:crypto';
import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import {
  N,
  claimSignature,
  createServerChallenge,
  parseA,
  parseTimestamp,
  serverKey,
  signatureMatches,
  type ServerChallenge,
} from '../../crypto/srp.js';
import { fromBlockNumber, type SecretBlockState } from '../secret-block.js';
import { decoyIdentity, type DecoyIdentity } from './decoy.js';

/**
 * The steps every SRP exchange of the sign-in engine shares (USER_SRP_AUTH's PASSWORD_VERIFIER,
 * DEVICE_SRP_AUTH's DEVICE_PASSWORD_VERIFIER): reading SRP_A, the server challenge, the
 * TIMESTAMP rule and the proof check, and the decoy that stands in for a user who does not exist.
 */

/**
 * SRP_A as a number, or InvalidParameterException: not hex, longer than any value below N can be
 * (leading zeros aside), or A mod N = 0, which would let a client skip the password. AWS answers
 * a tampered SRP_A with InvalidParameterException
 * (https://github.com/amazon-archives/amazon-cognito-identity-js/issues/356); the text is a best
 * guess.
 */
export function requireSrpA(srpA: string): bigint {
  const A = parseA(srpA);
  if (A === undefined) throw new InvalidParameterException('Invalid SRP_A value.');
  return A;
}

/**
 * How far a proof's TIMESTAMP may be from the server's clock. AWS shows no sign of checking the
 * client's clock (apps on devices with drifting clocks still sign in, aws-amplify/amplify-js#11675),
 * and the SECRET_BLOCK already expires within minutes and answers one proof, so the window only
 * has to turn away nonsense: a day either way, which also covers devices whose clock is set to
 * local time as if it were UTC.
 */
export const TIMESTAMP_TOLERANCE_MS = 24 * 3_600_000;

/**
 * Whether a TIMESTAMP is acceptable: exactly `EEE MMM d HH:mm:ss UTC yyyy` with the right weekday
 * (AWS refuses `Sep 05` and a wrong weekday), and within the tolerance of the server's clock.
 */
export function timestampAcceptable(services: Services, timestamp: string): boolean {
  const at = parseTimestamp(timestamp);
  return at !== undefined && Math.abs(at - services.clock.now()) <= TIMESTAMP_TOLERANCE_MS;
}

/**
 * Checks a PASSWORD_CLAIM_SIGNATURE against the block's A, b and B and the stored verifier: a
 * password changed since the challenge gives another S, so its proof fails as it should.
 *
 * @param poolName the pool ID's part after `_` for users, the DeviceGroupKey for devices.
 * @param userId the internal username for users, the DeviceKey for devices.
 */
export async function proofMatches(input: {
  state: SecretBlockState;
  verifierHex: string;
  poolName: string;
  userId: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}): Promise<boolean> {
  const A = fromBlockNumber(input.state.A);
  if (A % N === 0n) return false;
  const key = await serverKey(A, { b: input.state.b, B: fromBlockNumber(input.state.B).toString(16) }, input.verifierHex);
  if (!key) return false;
  const expected = claimSignature(key, input.poolName, input.userId, input.secretBlock, input.timestamp);
  return signatureMatches(expected, input.signature);
}

/**
 * Spends the time of a proof check on a decoy, so that a proof for a user who does not exist takes
 * as long as a wrong proof for one who does. The block's A passed requireSrpA when it was sealed,
 * and the result is discarded, so no A needs refusing here.
 */
export async function spendDecoyProof(state: SecretBlockState): Promise<void> {
  await serverKey(fromBlockNumber(state.A), { b: state.b, B: fromBlockNumber(state.B).toString(16) }, randomVerifier());
}

/** A random value in 1..N-1: B made from it looks like any other B. */
function randomVerifier(): string {
  return ((BigInt(`0x${randomBytes(384).toString('hex')}`) % (N - 1n)) + 1n).toString(16);
}

/** The stand-in for a user who does not exist: what PASSWORD_VERIFIER shows in their place. */
export interface SrpDecoy extends DecoyIdentity {
  readonly challenge: ServerChallenge;
}

/**
 * A decoy for a sign-in that names no user (or one without a password) while user-existence
 * errors are prevented: a salt and USER_ID_FOR_SRP that stay the same for the same name, as a
 * real user's do, and a B from a random verifier. Its proofs always fail.
 */
export async function srpDecoy(services: Services, pool: UserPoolRecord, typed: string): Promise<SrpDecoy> {
  return { ...(await decoyIdentity(services, pool, typed)), challenge: await createServerChallenge(randomVerifier()) };
}
