import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { N, claimSignature, computeU, createServerChallenge, createVerifier, deriveKey } from '../../src/crypto/srp.js';
import { blockNumber, type SecretBlockState } from '../../src/auth/secret-block.js';
import { proofMatches } from '../../src/auth/steps/srp.js';

/*
 * With A ≡ 0 mod N the server's S = (A·v^u)^b is 0 whatever the password, so anyone could sign the
 * proof. InitiateAuth refuses such an A, and the proof check refuses it again, should a block ever
 * carry one.
 */

const POOL_NAME = 'abcDEF123';
const USER_ID = 'alice';
const TIMESTAMP = 'Tue Mar 5 07:04:09 UTC 2024';

async function blockWithA(A: bigint, verifierHex: string): Promise<SecretBlockState> {
  const challenge = await createServerChallenge(verifierHex);
  return {
    kind: 'user',
    origin: 'USER_SRP_AUTH',
    poolId: `us-east-1_${POOL_NAME}`,
    clientId: 'client',
    username: USER_ID,
    sub: '0f8fad5b-d9cb-469f-a165-70867728950e',
    A: blockNumber(A),
    b: challenge.b,
    B: blockNumber(BigInt(`0x${challenge.B}`)),
    issuedAt: 0,
    expiresAt: 1,
    nonce: 'n',
  };
}

test('a proof signed with the key of S = 0 is refused for an A that is a multiple of N', async () => {
  const { verifier } = createVerifier(POOL_NAME, USER_ID, 'Correct-Horse-9');
  const secretBlock = randomBytes(32).toString('base64');
  for (const A of [N, 2n * N]) {
    const state = await blockWithA(A, verifier);
    const B = BigInt(`0x${Buffer.from(state.B, 'base64').toString('hex')}`);
    const forged = claimSignature(deriveKey(0n, computeU(A, B)), POOL_NAME, USER_ID, secretBlock, TIMESTAMP).toString('base64');
    const proof = {
      state,
      verifierHex: verifier,
      poolName: POOL_NAME,
      userId: USER_ID,
      secretBlock,
      timestamp: TIMESTAMP,
      signature: forged,
    };
    assert.equal(await proofMatches(proof), false, `A = ${A / N}·N`);
  }
});
