import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizationCodeRecord, Store } from '../../src/store/ports.js';
import { createSqlStore } from '../../src/store/sql/index.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine, type StoreHarness } from './harness.js';
import { T0, tag, twoPools } from './fixtures.js';

function code(pool: string, over: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: `hash-${tag()}`,
    poolId: pool,
    clientId: 'client',
    usernameKey: 'alice',
    redirectUri: 'https://app.example.com/callback',
    scopes: ['openid', 'email'],
    nonce: 'n-1',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    authTime: T0 - 5000,
    originJti: `jti-${tag()}`,
    expiresAt: T0 + 300_000,
    consumedAt: null,
    createdAt: T0,
    ...over,
  };
}

/** The authorization-code store cases, run on each engine. */
function defineSuite(engine: StoreEngine): void {
  let h: StoreHarness;
  let store: Store;
  withFreshStore(engine, (fresh) => {
    h = fresh;
    store = fresh.store;
  });

  test('a code reads back as stored, times past 2^31 included', async () => {
    const { a } = await twoPools(store);
    const stored = code(a);
    await store.authorizationCodes.insert(stored);
    assert.deepEqual(await store.authorizationCodes.get(stored.codeHash), stored);
    const bare = code(a, { nonce: null, codeChallenge: null, codeChallengeMethod: null });
    await store.authorizationCodes.insert(bare);
    assert.deepEqual(await store.authorizationCodes.get(bare.codeHash), bare);
    assert.equal(await store.authorizationCodes.get('missing'), undefined);
  });

  test('a code is consumed once, even by two connections at the same time', async () => {
    const { a } = await twoPools(store);
    const stored = code(a);
    await store.authorizationCodes.insert(stored);
    const second = h.reopen();
    try {
      const other = createSqlStore(second, h.sealer);
      const results = await Promise.all([
        store.authorizationCodes.consume(stored.codeHash, T0 + 1),
        other.authorizationCodes.consume(stored.codeHash, T0 + 2),
        store.authorizationCodes.consume(stored.codeHash, T0 + 3),
        other.authorizationCodes.consume(stored.codeHash, T0 + 4),
      ]);
      assert.equal(results.filter(Boolean).length, 1);
    } finally {
      await second.close();
    }
    const after = await store.authorizationCodes.get(stored.codeHash);
    assert.ok(after?.consumedAt !== null && after?.consumedAt !== undefined && after.consumedAt > T0);
    assert.equal(await store.authorizationCodes.consume(stored.codeHash, T0 + 10), false);
  });

  test('expired codes are pruned, and a deleted pool takes its codes with it', async () => {
    const { a, b } = await twoPools(store);
    const old = code(a, { expiresAt: T0 - 1 });
    const live = code(a);
    const otherPool = code(b);
    for (const c of [old, live, otherPool]) await store.authorizationCodes.insert(c);
    assert.ok((await store.authorizationCodes.deleteExpired(T0)) >= 1);
    assert.equal(await store.authorizationCodes.get(old.codeHash), undefined);
    assert.ok(await store.authorizationCodes.get(live.codeHash));
    await store.pools.delete(a);
    assert.equal(await store.authorizationCodes.get(live.codeHash), undefined);
    assert.ok(await store.authorizationCodes.get(otherPool.codeHash));
  });
}

describeOnEachEngine('authorization code store', defineSuite);
