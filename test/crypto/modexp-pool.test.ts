import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModExpPool } from '../../src/crypto/modexp-pool.js';
import { N, g, modPowN } from '../../src/crypto/srp.js';

test('the worker pool computes the same powers as the calling thread, chained steps included', async () => {
  const pool = new ModExpPool(N.toString(16), 2);
  try {
    const cases = Array.from({ length: 20 }, (_, i) => [BigInt(i + 3) ** 50n, 2n ** 200n + BigInt(i)] as const);
    const results = await Promise.all(cases.map(([base, e]) => pool.run([[base, e, 1n]])));
    results.forEach((result, i) => assert.equal(result, modPowN(cases[i]![0], cases[i]![1])));
    // (v^u · A)^b in one round trip, as serverKey asks for it.
    const [v, u, A, b] = [g ** 100n, 12345n, 777n ** 30n, 2n ** 255n - 19n];
    assert.equal(
      await pool.run([
        [v, u, 1n],
        [null, b, A],
      ]),
      modPowN((modPowN(v, u) * A) % N, b),
    );
    // Degenerate bases that OpenSSL refuses as public values.
    assert.equal(await pool.run([[0n, 5n, 1n]]), 0n);
    assert.equal(await pool.run([[1n, 5n, 1n]]), 1n);
    assert.equal(await pool.run([[N - 1n, 3n, 1n]]), N - 1n);
  } finally {
    await pool.close();
  }
});
