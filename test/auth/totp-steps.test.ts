import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrozenClock } from '../../src/lib/clock.js';
import { acceptTotpCode, newSealedTotpSecret } from '../../src/auth/totp.js';
import type { UserRecord } from '../../src/store/ports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { totpForStep } from '../support/totp.js';
import { createPool, putUser } from '../api/auth-fixtures.js';

/*
 * acceptTotpCode, VerifySoftwareToken's check, on its own: requests racing with one code all read
 * the user before any of them records its step, so the step's marker in the store's counters is
 * what refuses all but the first, for as long as the code can match. Each call here passes the same
 * user as read before the first call, as a racing request would have it.
 */

const STEP_MS = 30_000;
// The middle of the current step (near the real time, which SigV4 checks).
const clock = new FrozenClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2);
let server: TestServer;
let poolId: string;
let seq = 0;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server);
});
after(() => server.stop());

const stepNow = () => Math.floor(clock.now() / STEP_MS);

async function user(extra: { totpLastStep?: number } = {}): Promise<UserRecord> {
  const record = await putUser(server, poolId, { username: `totp${++seq}` });
  return { ...record, extra: { ...record.extra, mfa: { ...record.extra.mfa, ...extra } } };
}

test('a step accepted once is refused to a racing request for the next minutes, not only at the same instant', async () => {
  const { secret, sealed } = newSealedTotpSecret(server.services);
  const racer = await user();
  const code = totpForStep(secret, stepNow());
  assert.equal(await acceptTotpCode(server.services, racer, sealed, code), stepNow());
  // A second later (the code still matches: one step of skew is allowed), and at the edge of the skew.
  clock.advance(1_000);
  assert.equal(await acceptTotpCode(server.services, racer, sealed, code), undefined, 'a second later');
  clock.advance(STEP_MS + 10_000);
  assert.equal(await acceptTotpCode(server.services, racer, sealed, code), undefined, 'in the next step');
});

test('a step at or before the last accepted one is refused, a later one accepted', async () => {
  const { secret, sealed } = newSealedTotpSecret(server.services);
  const now = stepNow();
  const spentNow = await user({ totpLastStep: now });
  assert.equal(await acceptTotpCode(server.services, spentNow, sealed, totpForStep(secret, now)), undefined, 'the last step');
  assert.equal(await acceptTotpCode(server.services, spentNow, sealed, totpForStep(secret, now - 1)), undefined, 'the step before');
  const spentBefore = await user({ totpLastStep: now - 1 });
  assert.equal(await acceptTotpCode(server.services, spentBefore, sealed, totpForStep(secret, now)), now, 'the step after');
});

test('a secret sealed for another purpose does not check codes', async () => {
  const { secret } = newSealedTotpSecret(server.services);
  const sealedElsewhere = server.services.sealer.seal(secret);
  const code = totpForStep(secret, stepNow());
  assert.equal(await acceptTotpCode(server.services, await user(), sealedElsewhere, code), undefined);
});
