import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchTotp, newTotpSecret, totpCode, totpStep } from '../../src/crypto/totp.js';
import { totpForStep } from '../support/totp.js';

/** RFC 6238 appendix B's SHA-1 seed, "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('codes match RFC 6238 appendix B (SHA-1, last six of the eight digits)', () => {
  const vectors: [number, string][] = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ];
  for (const [seconds, code] of vectors) {
    assert.equal(totpCode(RFC_SECRET, totpStep(seconds * 1000)), code, `T=${seconds}`);
    assert.equal(totpForStep(RFC_SECRET, totpStep(seconds * 1000)), code, `the tests' own TOTP at T=${seconds}`);
  }
});

test('a code matches in its own step and one either side, and names the step', () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{52}$/);
  const now = 1_800_000_000_000;
  const step = totpStep(now);
  for (const offset of [-1, 0, 1]) assert.equal(matchTotp(secret, totpForStep(secret, step + offset), now), step + offset);
  for (const offset of [-2, 2]) assert.equal(matchTotp(secret, totpForStep(secret, step + offset), now), undefined);
});
