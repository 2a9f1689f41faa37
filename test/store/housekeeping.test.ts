import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrozenClock } from '../../src/lib/clock.js';
import { COUNTER_RETENTION_MS, runHousekeeping } from '../../src/store/housekeeping.js';
import { startTestServer } from '../support/server.js';

test('housekeeping deletes expired authorization codes, STS sessions and counters past their retention, and keeps the rest', async () => {
  const clock = FrozenClock.atNow();
  const server = await startTestServer({}, { clock });
  try {
    const { store } = server.services;
    const now = clock.now();
    const code = (hash: string, expiresAt: number) => ({
      codeHash: hash,
      poolId: 'us-east-1_housekeep',
      clientId: 'client',
      usernameKey: 'alice',
      redirectUri: 'https://app.example/cb',
      scopes: ['openid'],
      nonce: null,
      codeChallenge: null,
      codeChallengeMethod: null,
      authTime: now,
      originJti: `jti-${hash}`,
      expiresAt,
      consumedAt: null,
      createdAt: now,
    });
    await store.authorizationCodes.insert(code('expiring', now + 300_000));
    await store.authorizationCodes.insert(code('lasting', now + 900_000));
    await store.rateCounters.hit('old-counter', 60_000, now);
    const session = (accessKeyId: string, expiresAt: number) => ({
      accessKeyId,
      secretAccessKey: 'secret',
      tokenHash: 'hash',
      roleArn: 'arn:aws:iam::000000000000:role/r',
      sessionName: 'CognitoIdentityCredentials',
      subject: 'us-east-1:identity',
      source: 'cognito-identity' as const,
      createdAt: now,
      expiresAt,
      revoked: false,
      principalTags: {},
    });
    await store.stsSessions.insert(session('ASIAEXPIRING00000000', now + 300_000));
    await store.stsSessions.insert(session('ASIALASTING000000000', now + 900_000));

    // Moved forward for these checks only, and put back even when one fails.
    await clock.travel(600_000, async () => {
      await runHousekeeping(server.services);
      assert.equal(await store.authorizationCodes.get('expiring'), undefined);
      assert.ok(await store.authorizationCodes.get('lasting'));
      assert.equal(await store.stsSessions.get('ASIAEXPIRING00000000'), undefined);
      assert.ok(await store.stsSessions.get('ASIALASTING000000000'));
      assert.ok(await store.rateCounters.peek('old-counter'), 'a counter inside its retention stays');

      clock.advance(COUNTER_RETENTION_MS);
      await runHousekeeping(server.services);
      assert.equal(await store.rateCounters.peek('old-counter'), undefined);
    });
  } finally {
    await server.stop();
  }
});
