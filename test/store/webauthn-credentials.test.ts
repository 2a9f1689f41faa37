import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Store, WebAuthnCredentialRecord } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0, twoPools, user } from './fixtures.js';

function credential(pool: string, usernameKey: string, over: Partial<WebAuthnCredentialRecord> = {}): WebAuthnCredentialRecord {
  return {
    poolId: pool,
    credentialId: randomBytes(16).toString('base64url'),
    usernameKey,
    publicKey: randomBytes(77).toString('base64url'),
    signCount: 0,
    rpId: 'example.com',
    friendlyName: 'Passkey',
    attachment: 'platform',
    transports: ['internal', 'hybrid'],
    createdAt: T0,
    ...over,
  };
}

/** The passkey store cases, run on each engine; every case seeds two pools alike and checks they stay apart. */
function defineWebAuthnCredentialSuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  async function seed(): Promise<{ a: string; b: string; inA: WebAuthnCredentialRecord[] }> {
    const { a, b } = await twoPools(store);
    const inA: WebAuthnCredentialRecord[] = [];
    for (const pool of [a, b]) {
      await store.users.insert(user(pool, 'alice'));
      await store.users.insert(user(pool, 'bob'));
      for (let i = 0; i < 3; i++) {
        const c = credential(pool, 'alice');
        assert.equal(await store.webAuthnCredentials.insert(c), true);
        if (pool === a) inA.push(c);
      }
    }
    return { a, b, inA };
  }

  test('insert and get round-trip every field; a credential ID is registered once per pool', async () => {
    const { a, b, inA } = await seed();
    const first = inA[0]!;
    assert.deepEqual(await store.webAuthnCredentials.get(a, first.credentialId), first);
    const bare = credential(a, 'bob', { attachment: null, transports: [], signCount: 2 ** 32 - 1 });
    assert.equal(await store.webAuthnCredentials.insert(bare), true);
    assert.deepEqual(await store.webAuthnCredentials.get(a, bare.credentialId), bare);
    assert.equal(await store.webAuthnCredentials.get(b, first.credentialId), undefined);
    // Registered again (by another user, too): refused, the first one kept.
    assert.equal(await store.webAuthnCredentials.insert({ ...first, usernameKey: 'bob', publicKey: 'other' }), false);
    assert.deepEqual(await store.webAuthnCredentials.get(a, first.credentialId), first);
    // The same ID in another pool is another credential.
    assert.equal(await store.webAuthnCredentials.insert({ ...first, poolId: b }), true);
  });

  test('listForUser and countForUser: ID order, keyset pages, one user of one pool only', async () => {
    const { a, b, inA } = await seed();
    await store.webAuthnCredentials.insert(credential(a, 'bob'));
    const sorted = inA.map((c) => c.credentialId).sort();
    const all = await store.webAuthnCredentials.listForUser(a, 'alice', 10);
    assert.deepEqual(
      all.map((c) => c.credentialId),
      sorted,
    );
    const page1 = await store.webAuthnCredentials.listForUser(a, 'alice', 2);
    const page2 = await store.webAuthnCredentials.listForUser(a, 'alice', 2, page1[1]!.credentialId);
    assert.deepEqual(
      [...page1, ...page2].map((c) => c.credentialId),
      sorted,
    );
    assert.equal(page2.length, 1);
    assert.equal(await store.webAuthnCredentials.countForUser(a, 'alice'), 3);
    assert.equal(await store.webAuthnCredentials.countForUser(a, 'bob'), 1);
    assert.equal(await store.webAuthnCredentials.countForUser(b, 'bob'), 0);
    assert.deepEqual(await store.webAuthnCredentials.listForUser(b, 'carol', 10), []);
  });

  test('advanceSignCount moves the counter only from the expected value, in one pool', async () => {
    const { a, b, inA } = await seed();
    const c = inA[0]!;
    assert.equal(await store.webAuthnCredentials.advanceSignCount(b, c.credentialId, 0, 5), false);
    assert.equal(await store.webAuthnCredentials.advanceSignCount(a, c.credentialId, 0, 5), true);
    // A racing sign-in that read the old counter loses.
    assert.equal(await store.webAuthnCredentials.advanceSignCount(a, c.credentialId, 0, 6), false);
    assert.equal((await store.webAuthnCredentials.get(a, c.credentialId))!.signCount, 5);
  });

  test('delete removes only the user’s own credential; deleting the user or the pool removes the rest', async () => {
    const { a, b, inA } = await seed();
    const [first, second] = inA;
    assert.equal(await store.webAuthnCredentials.delete(a, 'bob', first!.credentialId), false);
    assert.equal(await store.webAuthnCredentials.delete(a, 'alice', first!.credentialId), true);
    assert.equal(await store.webAuthnCredentials.delete(a, 'alice', first!.credentialId), false);
    assert.equal(await store.webAuthnCredentials.get(a, first!.credentialId), undefined);
    assert.ok(await store.webAuthnCredentials.get(a, second!.credentialId));

    await store.users.delete(a, 'alice');
    assert.equal(await store.webAuthnCredentials.countForUser(a, 'alice'), 0);
    assert.equal(await store.webAuthnCredentials.countForUser(b, 'alice'), 3);
    await store.pools.delete(b);
    assert.equal(await store.webAuthnCredentials.countForUser(b, 'alice'), 0);
  });
}

describeOnEachEngine('webauthn credential store', defineWebAuthnCredentialSuite);
