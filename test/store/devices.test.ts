import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DeviceRecord, Store } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine, type StoreHarness } from './harness.js';
import { T0, isUniqueViolation, twoPools, user } from './fixtures.js';

function device(pool: string, usernameKey: string, over: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    poolId: pool,
    usernameKey,
    deviceKey: `${pool.split('_')[0]}_${randomUUID()}`,
    deviceGroupKey: '-Ab3dEf9h',
    status: 'confirmed',
    rememberedStatus: 'remembered',
    name: 'Pixel 8',
    lastIpUsed: '203.0.113.7',
    sealedVerifier: 'v1.iv.body.tag',
    createdAt: T0,
    lastModifiedAt: T0 + 5,
    lastAuthenticatedAt: T0 - 22,
    ...over,
  };
}

/** The device store cases, run on each engine; every case seeds two pools alike and checks they stay apart. */
function defineDeviceSuite(engine: StoreEngine): void {
  let h: StoreHarness;
  let store: Store;
  withFreshStore(engine, (fresh) => {
    h = fresh;
    store = fresh.store;
  });

  /** The same username and devices in both pools. */
  async function seed(): Promise<{ a: string; b: string; inA: DeviceRecord[]; inB: DeviceRecord[] }> {
    const { a, b } = await twoPools(store);
    const inA: DeviceRecord[] = [];
    const inB: DeviceRecord[] = [];
    for (const [pool, list] of [
      [a, inA],
      [b, inB],
    ] as const) {
      await store.users.insert(user(pool, 'alice'));
      await store.users.insert(user(pool, 'bob'));
      for (let i = 0; i < 3; i++) list.push(device(pool, 'alice', { name: `device ${i}` }));
      for (const d of list) await store.devices.insert(d);
    }
    return { a, b, inA, inB };
  }

  test('insert and get round-trip every field, nulls and int8 times included', async () => {
    const { a, b, inA } = await seed();
    const full = inA[0]!;
    assert.deepEqual(await store.devices.get(a, full.deviceKey), full);
    const bare = device(a, 'bob', {
      status: 'unconfirmed',
      rememberedStatus: 'not_remembered',
      name: null,
      lastIpUsed: null,
      sealedVerifier: null,
      lastAuthenticatedAt: null,
    });
    await store.devices.insert(bare);
    assert.deepEqual(await store.devices.get(a, bare.deviceKey), bare);
    // Another pool never sees it.
    assert.equal(await store.devices.get(b, full.deviceKey), undefined);
  });

  test('a device key is unique within its pool', async () => {
    const { inA } = await seed();
    await assert.rejects(store.devices.insert({ ...inA[0]!, usernameKey: 'bob' }), isUniqueViolation);
  });

  test('listForUser: key order, keyset pages, filters, one user of one pool only', async () => {
    const { a, b, inA } = await seed();
    const sorted = inA.map((d) => d.deviceKey).sort();
    await store.devices.insert(device(a, 'bob'));
    const unconfirmed = device(a, 'alice', { status: 'unconfirmed', rememberedStatus: 'not_remembered' });
    const notRemembered = device(a, 'alice', { rememberedStatus: 'not_remembered' });
    await store.devices.insert(unconfirmed);
    await store.devices.insert(notRemembered);

    const all = await store.devices.listForUser(a, 'alice', 10);
    assert.deepEqual(
      all.map((d) => d.deviceKey),
      [...sorted, unconfirmed.deviceKey, notRemembered.deviceKey].sort(),
    );
    assert.ok(all.every((d) => d.poolId === a && d.usernameKey === 'alice'));

    const remembered = await store.devices.listForUser(a, 'alice', 10, undefined, { status: 'confirmed', rememberedStatus: 'remembered' });
    assert.deepEqual(
      remembered.map((d) => d.deviceKey),
      sorted,
    );
    const confirmed = await store.devices.listForUser(a, 'alice', 10, undefined, { status: 'confirmed' });
    assert.deepEqual(
      confirmed.map((d) => d.deviceKey),
      [...sorted, notRemembered.deviceKey].sort(),
    );

    const page1 = await store.devices.listForUser(a, 'alice', 2, undefined, { rememberedStatus: 'remembered', status: 'confirmed' });
    assert.deepEqual(
      page1.map((d) => d.deviceKey),
      sorted.slice(0, 2),
    );
    const page2 = await store.devices.listForUser(a, 'alice', 2, page1[1]!.deviceKey, {
      rememberedStatus: 'remembered',
      status: 'confirmed',
    });
    assert.deepEqual(
      page2.map((d) => d.deviceKey),
      sorted.slice(2),
    );

    assert.equal((await store.devices.listForUser(b, 'alice', 10)).length, 3);
    assert.deepEqual(await store.devices.listForUser(b, 'carol', 10), []);
  });

  test('update saves the mutable fields, keeps user and creation date; expectedStatus guards the change', async () => {
    const { a, b, inA, inB } = await seed();
    const d = inA[0]!;
    const changed: DeviceRecord = {
      ...d,
      usernameKey: 'bob',
      createdAt: T0 + 999,
      status: 'confirmed',
      rememberedStatus: 'not_remembered',
      name: null,
      lastIpUsed: '198.51.100.1',
      sealedVerifier: 'v1.other.value.tag',
      lastModifiedAt: T0 + 100,
      lastAuthenticatedAt: T0 + 100_000,
    };
    assert.equal(await store.devices.update(changed), true);
    assert.deepEqual(await store.devices.get(a, d.deviceKey), { ...changed, usernameKey: 'alice', createdAt: T0 });

    // Only while the stored status is the expected one.
    assert.equal(await store.devices.update({ ...changed, name: 'never' }, 'unconfirmed'), false);
    assert.equal((await store.devices.get(a, d.deviceKey))!.name, null);
    const pending = device(a, 'alice', { status: 'unconfirmed' });
    await store.devices.insert(pending);
    assert.equal(await store.devices.update({ ...pending, status: 'confirmed' }, 'unconfirmed'), true);
    assert.equal(await store.devices.update({ ...pending, status: 'confirmed' }, 'unconfirmed'), false);

    // An unknown key saves nothing; the same key in another pool is another device.
    assert.equal(await store.devices.update(device(a, 'alice')), false);
    assert.equal(await store.devices.update({ ...changed, poolId: b }), false);
    assert.deepEqual(await store.devices.get(b, inB[0]!.deviceKey), inB[0]);
  });

  test('delete and deleteForUser remove only what they name', async () => {
    const { a, b, inA, inB } = await seed();
    const bobs = device(a, 'bob');
    await store.devices.insert(bobs);
    await store.devices.delete(a, inA[0]!.deviceKey);
    assert.equal(await store.devices.get(a, inA[0]!.deviceKey), undefined);
    assert.equal((await store.devices.listForUser(a, 'alice', 10)).length, 2);
    await store.devices.deleteForUser(a, 'alice');
    assert.deepEqual(await store.devices.listForUser(a, 'alice', 10), []);
    assert.deepEqual(await store.devices.get(a, bobs.deviceKey), bobs);
    assert.equal((await store.devices.listForUser(b, 'alice', 10)).length, inB.length);
  });

  test('deleteUnconfirmedBefore forgets only old unconfirmed devices of that user', async () => {
    const { a, b, inA } = await seed();
    const old = device(a, 'alice', { status: 'unconfirmed', createdAt: T0 - 10 });
    const recent = device(a, 'alice', { status: 'unconfirmed', createdAt: T0 + 10 });
    const oldConfirmed = device(a, 'alice', { createdAt: T0 - 10 });
    const bobsOld = device(a, 'bob', { status: 'unconfirmed', createdAt: T0 - 10 });
    const otherPool = device(b, 'alice', { status: 'unconfirmed', createdAt: T0 - 10 });
    for (const d of [old, recent, oldConfirmed, bobsOld, otherPool]) await store.devices.insert(d);

    assert.equal(await store.devices.deleteUnconfirmedBefore(a, 'alice', T0), 1);
    assert.equal(await store.devices.get(a, old.deviceKey), undefined);
    for (const d of [recent, oldConfirmed, bobsOld, otherPool, inA[0]!]) assert.ok(await store.devices.get(d.poolId, d.deviceKey));
    assert.equal(await store.devices.deleteUnconfirmedBefore(a, 'alice', T0), 0);
  });

  test('deleting a user deletes their devices, in that pool only', async () => {
    const { a, b, inB } = await seed();
    const bobs = device(a, 'bob');
    await store.devices.insert(bobs);
    await store.users.delete(a, 'alice');
    assert.deepEqual(await store.devices.listForUser(a, 'alice', 10), []);
    assert.deepEqual(await store.devices.get(a, bobs.deviceKey), bobs);
    assert.deepEqual(await store.devices.get(b, inB[0]!.deviceKey), inB[0]);
  });

  test('deleting a pool deletes its devices', async () => {
    const { a, b, inA, inB } = await seed();
    await store.pools.delete(a);
    assert.equal(await store.devices.get(a, inA[0]!.deviceKey), undefined);
    const row = await h.open.db
      .selectFrom('devices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', a)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.n), 0);
    assert.equal((await store.devices.listForUser(b, 'alice', 10)).length, inB.length);
  });

  test('a transaction that fails leaves no device behind', async () => {
    const { a } = await seed();
    const d = device(a, 'bob');
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.devices.insert(d);
        throw new Error('roll back');
      }),
      { message: 'roll back' },
    );
    assert.equal(await store.devices.get(a, d.deviceKey), undefined);
  });
}

describeOnEachEngine('device store', defineDeviceSuite);
