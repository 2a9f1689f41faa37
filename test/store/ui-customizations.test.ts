import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Store, UiCustomizationRecord } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0, client, clientId, twoPools } from './fixtures.js';

function customization(pool: string, client: string, over: Partial<UiCustomizationRecord> = {}): UiCustomizationRecord {
  return {
    poolId: pool,
    clientId: client,
    css: '.label-customizable { font-weight: 400; }',
    logoType: 'image/png',
    logoDigest: randomBytes(16).toString('hex'),
    cssVersion: '20231114221320',
    createdAt: T0,
    updatedAt: T0 + 5,
    ...over,
  };
}

/** Logo bytes with every byte value, so an encoding that loses any would show. */
function logoBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  ]);
}

/** The UI-customization store cases, run on each engine; every case seeds two pools alike and checks they stay apart. */
function defineUiCustomizationSuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  test('put and get round-trip every field per pool; the logo is read on its own, byte for byte', async () => {
    const { a, b } = await twoPools(store);
    const inA = customization(a, 'ALL');
    const inB = customization(b, 'ALL', { css: null, cssVersion: '20240101000000' });
    const bytesA = logoBytes();
    await store.uiCustomizations.put(inA, bytesA);
    await store.uiCustomizations.put(inB, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));

    assert.deepEqual(await store.uiCustomizations.get(a, 'ALL'), inA);
    assert.deepEqual(await store.uiCustomizations.get(b, 'ALL'), inB);
    assert.deepEqual(await store.uiCustomizations.getLogo(a, 'ALL'), { contentType: 'image/png', digest: inA.logoDigest, bytes: bytesA });
    assert.deepEqual((await store.uiCustomizations.getLogo(b, 'ALL'))?.bytes, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    assert.equal(await store.uiCustomizations.get(a, 'someclient'), undefined);
  });

  test('put replaces css and logo but keeps the creation date; a null logo removes it', async () => {
    const { a, b } = await twoPools(store);
    const first = customization(a, 'web');
    await store.uiCustomizations.put(first, logoBytes());
    await store.uiCustomizations.put(customization(b, 'web'), logoBytes());

    const replaced = customization(a, 'web', { css: null, logoType: null, logoDigest: null, createdAt: T0 + 999, updatedAt: T0 + 1000 });
    await store.uiCustomizations.put(replaced, null);
    assert.deepEqual(await store.uiCustomizations.get(a, 'web'), { ...replaced, createdAt: T0 });
    assert.equal(await store.uiCustomizations.getLogo(a, 'web'), undefined);
    assert.ok(await store.uiCustomizations.getLogo(b, 'web'), 'the other pool keeps its logo');
  });

  test('delete removes one client’s customization in one pool', async () => {
    const { a, b } = await twoPools(store);
    for (const pool of [a, b]) {
      await store.uiCustomizations.put(customization(pool, 'ALL'), logoBytes());
      await store.uiCustomizations.put(customization(pool, 'web'), null);
    }
    assert.equal(await store.uiCustomizations.delete(a, 'web'), true);
    assert.equal(await store.uiCustomizations.delete(a, 'web'), false);
    assert.equal(await store.uiCustomizations.get(a, 'web'), undefined);
    assert.ok(await store.uiCustomizations.get(a, 'ALL'));
    assert.ok(await store.uiCustomizations.get(b, 'web'));
  });

  test('deleting a client deletes its customization; deleting the pool deletes them all', async () => {
    const { a, b } = await twoPools(store);
    const ids: Record<string, string> = { [a]: clientId(), [b]: clientId() };
    for (const pool of [a, b]) {
      await store.clients.create(client(pool, ids[pool]!, 'web'));
      await store.uiCustomizations.put(customization(pool, ids[pool]!), logoBytes());
      await store.uiCustomizations.put(customization(pool, 'ALL'), logoBytes());
    }
    await store.clients.delete(a, ids[a]!);
    assert.equal(await store.uiCustomizations.get(a, ids[a]!), undefined);
    assert.ok(await store.uiCustomizations.get(a, 'ALL'), 'the pool default is no client’s');
    assert.ok(await store.uiCustomizations.get(b, ids[b]!));

    await store.pools.delete(a);
    assert.equal(await store.uiCustomizations.get(a, 'ALL'), undefined);
    assert.ok(await store.uiCustomizations.get(b, 'ALL'));
    assert.ok(await store.uiCustomizations.get(b, ids[b]!));
  });
}

describeOnEachEngine('UI customization store', defineUiCustomizationSuite);
