import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, signRs256Jwt } from '../../src/tokens/jwt.js';

/* decodeJwt takes a compact JWS apart, and gives undefined for anything not shaped like one. */

const part = (json: string): string => Buffer.from(json).toString('base64url');

test('a three-part token with JSON objects decodes', () => {
  const decoded = decodeJwt(`${part('{"alg":"RS256"}')}.${part('{"sub":"a"}')}.AQID`);
  assert.deepEqual(decoded, {
    header: { alg: 'RS256' },
    payload: { sub: 'a' },
    signingInput: `${part('{"alg":"RS256"}')}.${part('{"sub":"a"}')}`,
    signature: Buffer.from([1, 2, 3]),
  });
});

test('a header or payload that is not a JSON object makes the token malformed', () => {
  for (const json of ['null', '123', '"text"', '[]', '[{"alg":"RS256"}]', 'true', 'not json']) {
    assert.equal(decodeJwt(`${part(json)}.${part('{}')}.AQID`), undefined, `header ${json}`);
    assert.equal(decodeJwt(`${part('{}')}.${part(json)}.AQID`), undefined, `payload ${json}`);
  }
});

test('a token of two or four parts is malformed', () => {
  assert.equal(decodeJwt(`${part('{}')}.${part('{}')}`), undefined);
  assert.equal(decodeJwt(`${part('{}')}.${part('{}')}.AQID.AQID`), undefined);
});

test('signing with a key that cannot make an RS256 signature rejects, and the process goes on', async () => {
  // node:crypto reports this failure to the callback (an Ed25519 key takes no SHA-256 digest), not by throwing.
  const { privateKey } = generateKeyPairSync('ed25519');
  await assert.rejects(signRs256Jwt('kid', { sub: 'a' }, privateKey), /invalid digest/);
});
