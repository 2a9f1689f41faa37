import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { parseTimestamp, passwordVerifierResponses } from '../../src/crypto/srp.js';

// Days 10 to 31 take two digits; the unpadded form only changes days 1 to 9.
test('a TIMESTAMP on a two-digit day parses to its instant, up to the 31st', () => {
  assert.equal(parseTimestamp('Sun Mar 10 07:04:09 UTC 2024'), Date.UTC(2024, 2, 10, 7, 4, 9));
  assert.equal(parseTimestamp('Tue Mar 19 23:59:59 UTC 2024'), Date.UTC(2024, 2, 19, 23, 59, 59));
  assert.equal(parseTimestamp('Wed Mar 20 00:00:00 UTC 2024'), Date.UTC(2024, 2, 20, 0, 0, 0));
  assert.equal(parseTimestamp('Fri Mar 29 12:30:00 UTC 2024'), Date.UTC(2024, 2, 29, 12, 30, 0));
  assert.equal(parseTimestamp('Sat Mar 30 07:04:09 UTC 2024'), Date.UTC(2024, 2, 30, 7, 4, 9));
  assert.equal(parseTimestamp('Sun Mar 31 07:04:09 UTC 2024'), Date.UTC(2024, 2, 31, 7, 4, 9));
  assert.equal(parseTimestamp('Mon Apr 31 07:04:09 UTC 2024'), undefined, 'no 31st of April');
});

test('the PASSWORD_VERIFIER responses carry the user, the block, the TIMESTAMP and the signature over them', () => {
  const key = Buffer.alloc(16, 7);
  const secretBlock = Buffer.from('the secret block').toString('base64');
  const timestamp = 'Tue Mar 5 07:04:09 UTC 2024';
  const signature = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from('abcDEF123'), Buffer.from('alice'), Buffer.from('the secret block'), Buffer.from(timestamp)]))
    .digest('base64');
  assert.deepEqual(passwordVerifierResponses(key, 'abcDEF123', 'alice', secretBlock, timestamp), {
    USERNAME: 'alice',
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature,
  });
});
