import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TotpRotation, totpUsersNeeded, type TotpUser } from '../../bench/totp-rotation.js';
import { totpAt } from '../support/totp.js';

/*
 * The password-mfa benchmark path's code book: which user signs in next and with which TOTP code,
 * so that no code is offered twice or out of order and no user has two sign-ins in flight.
 */

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const STEP_MS = 30_000;
/** A moment inside step 1000. */
const T = 1000 * STEP_MS + 12_345;

function users(count: number, lastStep: number): TotpUser[] {
  return Array.from({ length: count }, (_, i) => ({ username: `u${i}`, secret: SECRET, lastStep }));
}

test('each user gets the current step, then the next, then nothing until time moves on', () => {
  let now = T;
  const rotation = new TotpRotation(users(2, 999), () => now);
  const turns = [rotation.take(), rotation.take()];
  assert.deepEqual(
    turns.map((t) => [t?.username, t?.step]),
    [
      ['u0', 1000],
      ['u1', 1000],
    ],
  );
  assert.equal(rotation.take(), undefined, 'both users are in flight');
  for (const turn of turns) rotation.release(turn!);
  assert.deepEqual([rotation.take()?.step, rotation.take()?.step], [1001, 1001], 'the next step, which the skew accepts');
  rotation.release({ index: 0, username: 'u0', step: 1001 });
  rotation.release({ index: 1, username: 'u1', step: 1001 });
  assert.equal(rotation.take(), undefined, 'two steps ahead is out of the window');
  now += STEP_MS;
  assert.deepEqual(rotation.take(), { index: 0, username: 'u0', step: 1002 });
});

test('a user whose last step is behind starts at the current step, never a past one', () => {
  const rotation = new TotpRotation(users(1, 900), () => T);
  assert.equal(rotation.take()?.step, 1000);
});

test('the code of a turn is the authenticator code of its step', () => {
  const rotation = new TotpRotation(users(1, 999), () => T);
  const turn = rotation.take()!;
  assert.equal(rotation.code(turn), totpAt(SECRET, T));
  rotation.release(turn);
  const next = rotation.take()!;
  assert.equal(rotation.code(next), totpAt(SECRET, T + STEP_MS));
});

test('enough users for the rate over the run, with a quarter to spare', () => {
  // 150/s for 4 s: 600 sign-ins, two codes each at the start.
  assert.equal(totpUsersNeeded(150, 4), 375);
  // 190/s for 53 s: 10,070 sign-ins, three codes each (one more step passes).
  assert.equal(totpUsersNeeded(190, 53), 4196);
  assert.equal(totpUsersNeeded(0, 4), 1);
});
