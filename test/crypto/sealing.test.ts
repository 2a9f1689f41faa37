import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { Sealer } from '../../src/crypto/sealing.js';

const key = randomBytes(32);
const sealer = new Sealer(key);

test('the master key must be 32 bytes', () => {
  assert.throws(() => new Sealer(randomBytes(31)), { message: 'master key must be 32 bytes' });
  assert.throws(() => new Sealer(randomBytes(33)), { message: 'master key must be 32 bytes' });
});

test('a sealed value is AES-256-GCM under the master key, with its context as additional data', () => {
  const sealed = sealer.seal('signing key', 'pool:1');
  const [version, iv, body, tag] = sealed.split('.');
  assert.equal(version, 'v1');
  // An independent open with node:crypto: the format is what the docs say.
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
  decipher.setAAD(Buffer.from('pool:1', 'utf8'));
  decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(body!, 'base64url')), decipher.final()]);
  assert.equal(plain.toString('utf8'), 'signing key');
  assert.equal(sealer.openString(sealed, 'pool:1'), 'signing key');
});

test('a value opens only with its key and context, untouched', () => {
  const sealed = sealer.seal('secret', 'ctx');
  assert.equal(sealer.openString(sealed, 'other'), null, 'another context');
  assert.equal(sealer.openString(sealed), null, 'no context');
  assert.equal(new Sealer(randomBytes(32)).openString(sealed, 'ctx'), null, 'another key');
  const [version, iv, body, tag] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0]! ^= 1;
  assert.equal(sealer.openString([version, iv, flipped.toString('base64url'), tag].join('.'), 'ctx'), null, 'altered body');
  assert.equal(sealer.openString(['v2', iv, body, tag].join('.'), 'ctx'), null, 'unknown version');
  assert.equal(sealer.openString([version, iv, body].join('.'), 'ctx'), null, 'missing part');
  assert.equal(sealer.openString([version, iv, body, tag, tag].join('.'), 'ctx'), null, 'extra part');
  assert.equal(sealer.openString('', 'ctx'), null, 'empty');
  assert.equal(sealer.openString(sealed, 'ctx'), 'secret');
});

test('every seal uses a fresh IV', () => {
  assert.notEqual(sealer.seal('same'), sealer.seal('same'));
});
