import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store, SyncDatasetRecord, SyncRecordEntry } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0 } from './fixtures.js';

const POOL = 'us-east-1:00000000-0000-4000-8000-0000000000ee';

function dataset(identityId: string, name: string, syncCount: number): SyncDatasetRecord {
  return {
    identityId,
    name,
    identityPoolId: POOL,
    syncCount,
    deleted: false,
    numRecords: 1,
    dataStorage: 2,
    lastModifiedBy: identityId,
    createdAt: T0,
    updatedAt: T0 + syncCount,
  };
}

function record(key: string, value: string | undefined, syncCount: number): SyncRecordEntry {
  return { key, value, syncCount, lastModifiedBy: 'me', updatedAt: T0 + syncCount, deviceUpdatedAt: undefined };
}

/** The Cognito Sync store: the conditional write that decides races, tombstones, tokens and merges, on each engine. */
function defineSuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  test('an update commits only from the sync count it read, and a new dataset only once', async () => {
    assert.equal(
      await store.sync.commitUpdate({ dataset: dataset('id-a', 'd', 1), fromSyncCount: undefined, records: [record('k', 'v', 1)] }),
      true,
    );
    assert.equal(
      await store.sync.commitUpdate({ dataset: dataset('id-a', 'd', 1), fromSyncCount: undefined, records: [record('k', 'x', 1)] }),
      false,
    );
    assert.equal(
      await store.sync.commitUpdate({ dataset: dataset('id-a', 'd', 2), fromSyncCount: 1, records: [record('k', 'v2', 2)] }),
      true,
    );
    // A second update computed from count 1 lost the race: nothing of it is written.
    assert.equal(
      await store.sync.commitUpdate({ dataset: dataset('id-a', 'd', 2), fromSyncCount: 1, records: [record('k', 'lost', 2)] }),
      false,
    );
    assert.deepEqual(await store.sync.records('id-a', 'd', 0, 10), [record('k', 'v2', 2)]);
    assert.deepEqual(await store.sync.records('id-a', 'd', 2, 10), []);
    assert.equal((await store.sync.dataset('id-a', 'd'))?.syncCount, 2);
  });

  test('a deleted dataset is a tombstone one count on, without records, and out of the list and the usage', async () => {
    await store.sync.commitUpdate({ dataset: dataset('id-b', 'd', 1), fromSyncCount: undefined, records: [record('k', 'v', 1)] });
    assert.equal(await store.sync.deleteDataset('id-b', 'd', T0 + 9), true);
    assert.equal(await store.sync.deleteDataset('id-b', 'd', T0 + 9), false);
    const tombstone = await store.sync.dataset('id-b', 'd');
    assert.deepEqual([tombstone?.deleted, tombstone?.syncCount, tombstone?.numRecords], [true, 2, 0]);
    assert.deepEqual(await store.sync.records('id-b', 'd', 0, 10), []);
    assert.deepEqual(await store.sync.datasets('id-b', 10), []);
    assert.deepEqual(await store.sync.identityUsage('id-b'), { datasetCount: 0, dataStorage: 0, lastModified: undefined });
  });

  test('a sync session token is used once', async () => {
    assert.equal(await store.sync.useToken('t-1', T0 + 100), true);
    assert.equal(await store.sync.useToken('t-1', T0 + 100), false);
    assert.equal(await store.sync.deleteExpiredTokens(T0 + 101), 1);
  });

  test('merging moves datasets and records to the destination, renaming a clash <name>.<source>', async () => {
    await store.sync.commitUpdate({ dataset: dataset('id-dst', 'profile', 1), fromSyncCount: undefined, records: [record('k', 'dst', 1)] });
    await store.sync.commitUpdate({ dataset: dataset('id-src', 'profile', 1), fromSyncCount: undefined, records: [record('k', 'src', 1)] });
    await store.sync.commitUpdate({ dataset: dataset('id-src', 'other', 1), fromSyncCount: undefined, records: [record('o', 'v', 1)] });
    await store.sync.moveIdentity('id-src', 'id-dst');
    assert.deepEqual(
      (await store.sync.datasets('id-dst', 10)).map((d) => d.name),
      ['other', 'profile', 'profile.id-src'],
    );
    assert.deepEqual(await store.sync.records('id-dst', 'profile.id-src', 0, 10), [record('k', 'src', 1)]);
    assert.deepEqual(await store.sync.datasets('id-src', 10), []);
    await store.sync.deleteForPool(POOL);
    assert.deepEqual(await store.sync.datasets('id-dst', 10), []);
  });
}

describeOnEachEngine('Cognito Sync store', defineSuite);
