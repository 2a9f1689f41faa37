import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, type TestServer } from '../support/server.js';
import { srpClient } from '../support/srp-client.js';
import { createClient, createPool } from './auth-fixtures.js';
import { N, k, modPowN } from '../../src/crypto/srp.js';

/*
 * A decoy's SRP_B is B = k·v + g^b with v a fresh random verifier. g = 2 is a square modulo the
 * RFC 5054 prime (N ≡ 7 mod 8), so every g^b is one: were v a constant such as 1, B - k·v would
 * always be a square and anyone could tell decoys (names that match no user) from users. With a
 * random v, B - k is a square about half the time.
 */

let server: TestServer;
serverForTests((started) => (server = started));

/** The Jacobi symbol (a/n) for odd n > 0; for the prime N it is 1 exactly on the non-zero squares. */
function jacobi(a: bigint, n: bigint): number {
  let x = ((a % n) + n) % n;
  let m = n;
  let result = 1;
  while (x !== 0n) {
    while (x % 2n === 0n) {
      x /= 2n;
      if (m % 8n === 3n || m % 8n === 5n) result = -result;
    }
    [x, m] = [m, x];
    if (x % 4n === 3n && m % 4n === 3n) result = -result;
    x %= m;
  }
  return m === 1n ? result : 0;
}

function isSquare(x: bigint): boolean {
  return jacobi(x, N) === 1;
}

test('decoy SRP_B values carry no fixed verifier: B - k is not always a square mod N', async () => {
  assert.equal(N % 8n, 7n);
  assert.equal(isSquare(modPowN(2n, 12345n)), true, 'powers of g are squares');
  assert.equal(isSquare(N - 1n), false, '-1 is not, as N = 3 mod 4');
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });

  // 40 decoys: with random verifiers, all 40 squares would happen once in 2^40 runs.
  const squares: boolean[] = [];
  for (let i = 0; i < 40; i++) {
    const challenge = await server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: `nobody-${i}`, SRP_A: srpClient(poolId).srpA },
      }),
    );
    assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
    squares.push(isSquare(BigInt(`0x${challenge.ChallengeParameters!['SRP_B']!}`) - k));
  }
  assert.ok(squares.includes(false), 'some B - k is not a square');
  assert.ok(squares.includes(true), 'some B - k is a square');
});
