import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { inHashingSlot, limitPasswordHashing } from '../../src/crypto/password-hash.js';
import { spendDecoyVerification } from '../../src/auth/steps/password.js';

/** Lets every pending promise and queued call move as far as it can. */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

// The decoy's only effect is the hashing it does: it takes a hashing slot as a real check would, so
// while every slot is taken it cannot finish (no wall-clock timing needed to see the work).
test('a decoy verification waits for a hashing slot like a real one, and finishes once one is free', async (t) => {
  limitPasswordHashing(1);
  t.after(() => limitPasswordHashing(availableParallelism()));
  let release!: () => void;
  const holder = inHashingSlot(() => new Promise<void>((resolve) => (release = resolve)));
  await settle();

  let finished = false;
  const decoy = spendDecoyVerification('Any-Password-1').then(() => {
    finished = true;
  });
  await settle();
  await settle();
  assert.equal(finished, false, 'still waiting for the slot');

  release();
  await holder;
  await decoy;
  assert.equal(finished, true);
});
