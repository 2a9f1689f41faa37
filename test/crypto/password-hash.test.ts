import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { hashPassword, inHashingSlot, limitPasswordHashing, verifyPassword } from '../../src/crypto/password-hash.js';

test('a password verifies against its argon2id hash, and nothing else does', async () => {
  const stored = await hashPassword('Correct-Horse-9');
  assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword(stored, 'Correct-Horse-9'), true);
  assert.equal(await verifyPassword(stored, 'Correct-Horse-8'), false);
});

test('a stored value that is not a hash verifies nothing, and does not throw', async () => {
  assert.equal(await verifyPassword('not-a-hash', 'not-a-hash'), false);
  assert.equal(await verifyPassword('', ''), false);
});

test('no more hashes run at once than the limit, and waiting ones start in arrival order', async (t) => {
  limitPasswordHashing(2);
  t.after(() => limitPasswordHashing(availableParallelism()));
  let inFlight = 0;
  let most = 0;
  const started: number[] = [];
  const finish: (() => void)[] = [];
  const works = [0, 1, 2, 3, 4].map((n) =>
    inHashingSlot(async () => {
      started.push(n);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => finish.push(resolve));
      inFlight--;
      return n;
    }),
  );
  // Let every queued call reach its slot or its place in line.
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  await settle();
  assert.deepEqual(started, [0, 1], 'two slots');
  for (let done = 0; done < 5; done++) {
    finish.shift()!();
    await settle();
  }
  assert.deepEqual(await Promise.all(works), [0, 1, 2, 3, 4]);
  assert.deepEqual(started, [0, 1, 2, 3, 4], 'in arrival order');
  assert.equal(most, 2);
  // Every slot was handed back: the limit still admits two at once.
  const again: string[] = [];
  await Promise.all([inHashingSlot(async () => again.push('a')), inHashingSlot(async () => again.push('b'))]);
  assert.deepEqual(again.sort(), ['a', 'b']);
});
