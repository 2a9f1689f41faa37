import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Sealer } from '../../src/crypto/sealing.js';

const sealer = new Sealer(randomBytes(32));

// Callers that bind no context rely on the default being the empty context, whichever side omits it.
test('a value sealed without a context opens with the empty context, and with none', () => {
  const sealed = sealer.seal('secret');
  assert.equal(sealer.openString(sealed, ''), 'secret');
  assert.equal(sealer.open(sealed, '')?.toString('utf8'), 'secret');
  assert.equal(sealer.openString(sealed), 'secret');
});

test('a value sealed with the empty context opens without a context', () => {
  const sealed = sealer.seal('secret', '');
  assert.equal(sealer.open(sealed)?.toString('utf8'), 'secret');
  assert.equal(sealer.openString(sealed), 'secret');
});
