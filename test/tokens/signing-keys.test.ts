import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrozenClock } from '../../src/lib/clock.js';
import { SigningKeys } from '../../src/tokens/signing-keys.js';
import type { SigningKeyStore } from '../../src/store/ports.js';
import { sqliteEngine } from '../store/harness.js';

/*
 * SigningKeys over the real SQL store, as two nodes (two instances, one store) on one clock. The
 * store is wrapped to count reads: a node trusts its cache for a minute and checks only the key IDs
 * for a kid it does not know.
 */

interface Node {
  keys: SigningKeys;
  reads: { list: number; kids: number };
}

function node(store: SigningKeyStore, clock: FrozenClock): Node {
  const reads = { list: 0, kids: 0 };
  const counted: SigningKeyStore = {
    insert: (key) => store.insert(key),
    list: (poolId) => (reads.list++, store.list(poolId)),
    kids: (poolId) => (reads.kids++, store.kids(poolId)),
    setStatus: (poolId, kids, status) => store.setStatus(poolId, kids, status),
    deleteForPool: (poolId) => store.deleteForPool(poolId),
  };
  return { keys: new SigningKeys(counted, clock), reads };
}

async function setUp(): Promise<{ a: Node; b: Node; clock: FrozenClock; store: SigningKeyStore; close(): Promise<void> }> {
  const harness = await sqliteEngine.fresh();
  const clock = new FrozenClock();
  const store = harness.store.signingKeys;
  return { a: node(store, clock), b: node(store, clock), clock, store, close: () => harness.close() };
}

const POOL = 'us-east-1_keys';

test('a rotation makes one active key per purpose, listed ID key first in the JWKS', async () => {
  const { a, close } = await setUp();
  try {
    const rotated = await a.keys.rotate(POOL);
    assert.equal((await a.keys.signingKey(POOL, 'id')).kid, rotated.id);
    assert.equal((await a.keys.signingKey(POOL, 'access')).kid, rotated.access);
    const jwks = await a.keys.jwks(POOL);
    assert.deepEqual(
      jwks.keys.map((k) => k['kid']),
      [rotated.id, rotated.access],
    );
    for (const key of jwks.keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.deepEqual([key['alg'], key['kty'], key['use'], key['e']], ['RS256', 'RSA', 'sig', 'AQAB']);
    }
  } finally {
    await close();
  }
});

test('two rotations in one millisecond list both ID keys before both access keys', async () => {
  const { a, close } = await setUp();
  try {
    const first = await a.keys.rotate(POOL);
    const second = await a.keys.rotate(POOL);
    const kids = (await a.keys.jwks(POOL)).keys.map((k) => k['kid']);
    assert.deepEqual(kids.slice(0, 2).sort(), [first.id, second.id].sort());
    assert.deepEqual(kids.slice(2).sort(), [first.access, second.access].sort());
    assert.equal((await a.keys.signingKey(POOL, 'id')).kid, second.id);
  } finally {
    await close();
  }
});

test('a pool without keys gets them when it signs or shows its JWKS', async () => {
  const { a, close } = await setUp();
  try {
    const signing = await a.keys.signingKey('us-east-1_signs', 'access');
    assert.deepEqual((await a.keys.jwks('us-east-1_signs')).keys.map((k) => k['kid']).slice(1), [signing.kid]);
    assert.equal((await a.keys.jwks('us-east-1_shows')).keys.length, 2);
  } finally {
    await close();
  }
});

test('a key rotated on another node verifies and is in the JWKS at once, and signs after a minute', async () => {
  const { a, b, clock, close } = await setUp();
  try {
    const old = await a.keys.rotate(POOL);
    assert.equal((await b.keys.signingKey(POOL, 'access')).kid, old.access); // B's cache is warm
    const rotated = await a.keys.rotate(POOL);
    assert.ok(await b.keys.verificationKey(POOL, rotated.access));
    assert.ok(await b.keys.verificationKey(POOL, old.access), 'retired keys still verify');
    assert.deepEqual((await b.keys.jwks(POOL)).keys.map((k) => k['kid']).sort(), [old.id, old.access, rotated.id, rotated.access].sort());
    const third = await a.keys.rotate(POOL);
    clock.advance(59_999);
    assert.equal((await b.keys.signingKey(POOL, 'access')).kid, rotated.access, 'within the minute B signs from its cache');
    clock.advance(1);
    assert.equal((await b.keys.signingKey(POOL, 'access')).kid, third.access);
  } finally {
    await close();
  }
});

test('within a minute a known kid reads nothing, an unknown one only the key IDs; after it the keys are re-read', async () => {
  const { a, b, clock, close } = await setUp();
  try {
    const rotated = await a.keys.rotate(POOL);
    await b.keys.jwks(POOL);
    b.reads.list = b.reads.kids = 0;
    clock.advance(59_999);
    assert.ok(await b.keys.verificationKey(POOL, rotated.id));
    assert.ok(await b.keys.verificationKey(POOL, rotated.access));
    await b.keys.signingKey(POOL, 'id');
    assert.deepEqual(b.reads, { list: 0, kids: 0 });
    assert.equal(await b.keys.verificationKey(POOL, 'forged-kid'), undefined);
    await b.keys.jwks(POOL);
    assert.deepEqual(b.reads, { list: 0, kids: 2 });
    clock.advance(1);
    assert.ok(await b.keys.verificationKey(POOL, rotated.id));
    assert.deepEqual(b.reads, { list: 1, kids: 2 });
  } finally {
    await close();
  }
});

test("keys deleted or replaced on another node leave this node's JWKS at once", async () => {
  const { a, b, store, close } = await setUp();
  try {
    const old = await a.keys.rotate(POOL);
    await b.keys.jwks(POOL);
    await store.deleteForPool(POOL);
    const replaced = await a.keys.rotate(POOL);
    assert.deepEqual(
      (await b.keys.jwks(POOL)).keys.map((k) => k['kid']),
      [replaced.id, replaced.access],
    );
    await store.deleteForPool(POOL);
    const fresh = (await b.keys.jwks(POOL)).keys.map((k) => k['kid']);
    assert.equal(fresh.length, 2);
    assert.ok(!fresh.includes(old.id) && !fresh.includes(replaced.id));
  } finally {
    await close();
  }
});

test("forget drops a pool's keys from the cache", async () => {
  const { a, store, close } = await setUp();
  try {
    const rotated = await a.keys.rotate(POOL);
    assert.ok(await a.keys.verificationKey(POOL, rotated.id));
    await store.deleteForPool(POOL);
    a.keys.forget(POOL);
    assert.equal(await a.keys.verificationKey(POOL, rotated.id), undefined);
  } finally {
    await close();
  }
});

test('a pool whose keys of a purpose are all retired cannot sign', async () => {
  const { a, store, close } = await setUp();
  try {
    const rotated = await a.keys.rotate(POOL);
    await store.setStatus(POOL, [rotated.id], 'retired');
    a.keys.forget(POOL);
    await assert.rejects(a.keys.signingKey(POOL, 'id'), { message: `pool ${POOL} has no active id key` });
  } finally {
    await close();
  }
});

test('a pool with no keys yet is read once: an unknown kid then costs only the key IDs', async () => {
  const { a, close } = await setUp();
  try {
    assert.equal(await a.keys.verificationKey(POOL, 'kid-1'), undefined);
    assert.equal(await a.keys.verificationKey(POOL, 'kid-2'), undefined);
    assert.deepEqual(a.reads, { list: 1, kids: 1 });
  } finally {
    await close();
  }
});

/**
 * Two calls on one node for a pool without keys: the first one's read of the (still empty) store is
 * held until the second has rotated, and is released as the rotation retires the old keys. By the
 * order promises settle, the held read then lands in the cache just after the rotation cleared it,
 * so the rotating call must re-read the store to find the keys it made. Returns what the rotating
 * call answered and the order of the store calls.
 */
async function rotateUnderAStaleRead<T>(call: (keys: SigningKeys) => Promise<T>): Promise<{ answer: T; events: string[] }> {
  const harness = await sqliteEngine.fresh();
  try {
    const store = harness.store.signingKeys;
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let lists = 0;
    const racing: SigningKeyStore = {
      insert: (key) => store.insert(key),
      list: async (poolId) => {
        const first = lists++ === 0;
        const rows = await store.list(poolId);
        if (first) {
          await gate;
          events.push(`held read of ${rows.length} keys lands`);
        } else events.push(`read ${rows.length} keys`);
        return rows;
      },
      kids: (poolId) => store.kids(poolId),
      setStatus: async (poolId, kids, status) => {
        await store.setStatus(poolId, kids, status);
        events.push('retire');
        release();
      },
      deleteForPool: (poolId) => store.deleteForPool(poolId),
    };
    const keys = new SigningKeys(racing, new FrozenClock());
    const held = call(keys);
    const answer = await call(keys);
    await held;
    return { answer, events: events.slice(0, 4) };
  } finally {
    await harness.close();
  }
}

test('a stale read landing in the cache just after a rotation does not hide the new keys from the rotating call', async () => {
  const signed = await rotateUnderAStaleRead((keys) => keys.signingKey(POOL, 'id'));
  assert.deepEqual(signed.events, ['read 0 keys', 'retire', 'held read of 0 keys lands', 'read 2 keys']);
  assert.match(signed.answer.kid, /^[A-Za-z0-9+/]{43}=$/);

  const shown = await rotateUnderAStaleRead((keys) => keys.jwks(POOL));
  assert.deepEqual(shown.events, ['read 0 keys', 'retire', 'held read of 0 keys lands', 'read 2 keys']);
  assert.equal(shown.answer.keys.length, 2);
});

test('a pool left with keys of one purpose only (a rotation cut short) gets new keys when it signs with the other', async () => {
  const { a, store, close } = await setUp();
  try {
    const rotated = await a.keys.rotate(POOL);
    const idOnly = (await store.list(POOL)).find((k) => k.kid === rotated.id)!;
    await store.deleteForPool(POOL);
    await store.insert(idOnly);
    a.keys.forget(POOL);
    const access = await a.keys.signingKey(POOL, 'access');
    assert.notEqual(access.kid, rotated.access);
    assert.deepEqual(
      (await store.list(POOL)).filter((k) => k.purpose === 'access' && k.status === 'active').map((k) => k.kid),
      [access.kid],
    );
  } finally {
    await close();
  }
});
