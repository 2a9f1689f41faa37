import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { inHashingSlot, limitPasswordHashing } from '../../src/crypto/password-hash.js';

/** Lets every queued call reach its slot or its place in line. */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts `count` held works at once and returns which started, and how to let them all finish. */
async function startHeld(count: number): Promise<{ started: number[]; finish(): Promise<void> }> {
  const started: number[] = [];
  const release: (() => void)[] = [];
  const works = Array.from({ length: count }, (_, n) =>
    inHashingSlot(async () => {
      started.push(n);
      await new Promise<void>((resolve) => release.push(resolve));
    }),
  );
  await settle();
  return {
    started: [...started],
    async finish() {
      while (release.length > 0 || started.length < count) {
        release.shift()?.();
        await settle();
      }
      await Promise.all(works);
    },
  };
}

// Two limits on either side of any one machine's default, so the setting itself is what is seen.
test('limitPasswordHashing sets how many hashes run at once, whatever the number of cores', async (t) => {
  t.after(() => limitPasswordHashing(availableParallelism()));

  limitPasswordHashing(1);
  const one = await startHeld(4);
  assert.deepEqual(one.started, [0], 'one slot');
  await one.finish();

  limitPasswordHashing(3);
  const three = await startHeld(4);
  assert.deepEqual(three.started, [0, 1, 2], 'three slots');
  await three.finish();
});
