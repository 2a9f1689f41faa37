import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEvent } from 'kysely';
import { Sealer } from '../../src/crypto/sealing.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import type { Store } from '../../src/store/ports.js';
import { createSqlStore } from '../../src/store/sql/index.js';
import { UnchangedReads } from '../../src/store/sql/unchanged-reads.js';
import { T0, client, clientId, pool, poolId, user } from './fixtures.js';

/**
 * On SQLite the pool, client and resource-server reads every request makes are answered without a
 * query while none of the cached tables has changed (UnchangedReads over announcedChangeStamp:
 * this connection's writes to them, and any other connection's commit). These tests hold it to "a
 * change made anywhere is seen by the next read": by the same store, by another connection (as
 * another worker process or the CLI would be), and not at all when a transaction rolls back.
 */

interface Opened {
  store: Store;
  /** SQL texts the store has run since the last call. */
  queries(): string[];
}

async function withDatabase(run: (open: () => Promise<Opened>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-unchanged-'));
  const sealer = new Sealer(randomBytes(32));
  const stores: Store[] = [];
  try {
    await run(async () => {
      let seen: string[] = [];
      const database = openDatabase(`sqlite:${join(dir, 'store.db')}`, {
        log: (event: LogEvent) => void seen.push(event.query.sql),
      });
      await migrateToLatest(database);
      const store = createSqlStore(database, sealer);
      stores.push(store);
      seen = [];
      return {
        store,
        queries: () => {
          const taken = seen;
          seen = [];
          return taken;
        },
      };
    });
  } finally {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const readsOf = (queries: string[], table: string): number => queries.filter((q) => q.includes(`from "${table}"`)).length;

test('a pool, client and resource server read twice with no write between is queried once', async () => {
  await withDatabase(async (open) => {
    const { store, queries } = await open();
    const id = poolId();
    const appClient = client(id, clientId(), 'app');
    await store.pools.create(pool(id, 'first'));
    await store.clients.create(appClient);
    await store.resourceServers.create({ poolId: id, identifier: 'api', name: 'API', scopes: [], createdAt: T0, updatedAt: T0 });
    queries();
    for (let i = 0; i < 3; i++) {
      assert.equal((await store.pools.get(id))?.name, 'first');
      assert.equal((await store.clients.get(id, appClient.clientId))?.name, 'app');
      assert.equal((await store.clients.getById(appClient.clientId))?.name, 'app');
      assert.equal((await store.resourceServers.get(id, 'api'))?.name, 'API');
    }
    const reads = queries();
    assert.equal(readsOf(reads, 'user_pools'), 1);
    assert.equal(readsOf(reads, 'user_pool_clients'), 2);
    assert.equal(readsOf(reads, 'resource_servers'), 1);
    // The values are shared, so they are frozen.
    assert.ok(Object.isFrozen(await store.pools.get(id)));
  });
});

test("writes to other tables keep the cached pool; the store's own change to it is seen at once, in a transaction too", async () => {
  await withDatabase(async (open) => {
    const { store, queries } = await open();
    const id = poolId();
    await store.pools.create(pool(id, 'first'));
    await store.pools.get(id);
    // What a sign-in writes (a user, a counter: INSERT ... RETURNING) leaves the pool in the cache.
    await store.users.insertMany([user(id, 'alice')]);
    await store.rateCounters.hit(`k-${id}`, 60_000, T0);
    queries();
    assert.equal((await store.pools.get(id))?.name, 'first');
    assert.equal(readsOf(queries(), 'user_pools'), 0);
    const current = (await store.pools.get(id))!;
    await store.pools.update({ ...current, name: 'renamed', updatedAt: T0 + 1 });
    assert.equal((await store.pools.get(id))?.name, 'renamed');
    await store.transaction((trx) => trx.pools.update({ ...current, name: 'renamed in a transaction', updatedAt: T0 + 2 }));
    assert.equal((await store.pools.get(id))?.name, 'renamed in a transaction');
  });
});

test("another connection's commit is seen by the next read", async () => {
  await withDatabase(async (open) => {
    const first = await open();
    const second = await open();
    const id = poolId();
    const appClient = client(id, clientId(), 'app');
    await first.store.pools.create(pool(id, 'first'));
    await first.store.clients.create(appClient);
    assert.equal((await first.store.pools.get(id))?.name, 'first');
    assert.equal((await first.store.clients.get(id, appClient.clientId))?.name, 'app');
    assert.equal(await first.store.resourceServers.get(id, 'api'), undefined);

    await second.store.pools.update({ ...pool(id, 'changed elsewhere'), updatedAt: T0 + 1 });
    await second.store.clients.update({ ...appClient, name: 'renamed elsewhere' });
    await second.store.resourceServers.create({ poolId: id, identifier: 'api', name: 'API', scopes: [], createdAt: T0, updatedAt: T0 });
    assert.equal((await first.store.pools.get(id))?.name, 'changed elsewhere');
    assert.equal((await first.store.clients.get(id, appClient.clientId))?.name, 'renamed elsewhere');
    assert.equal((await first.store.resourceServers.get(id, 'api'))?.name, 'API');

    await second.store.clients.delete(id, appClient.clientId);
    assert.equal(await first.store.clients.get(id, appClient.clientId), undefined);
    assert.equal(await first.store.clients.getById(appClient.clientId), undefined);
  });
});

test('what a rolled-back transaction wrote is never served', async () => {
  await withDatabase(async (open) => {
    const { store } = await open();
    const id = poolId();
    await store.pools.create(pool(id, 'first'));
    await assert.rejects(
      store.transaction(async (trx) => {
        await trx.pools.update({ ...pool(id, 'uncommitted'), updatedAt: T0 + 1 });
        assert.equal((await trx.pools.get(id))?.name, 'uncommitted');
        // A read outside the transaction meanwhile waits for it, and then sees the committed row.
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal((await store.pools.get(id))?.name, 'first');
    assert.equal((await store.pools.get(id))?.name, 'first');
  });
});

test('a read that overlaps a write is not kept', async () => {
  await withDatabase(async (open) => {
    const { store, queries } = await open();
    const id = poolId();
    await store.pools.create(pool(id, 'first'));
    // Both start before either finishes: the read may see the row before or after the update, but
    // whatever it saw must not be served once the update is done.
    const [, read] = await Promise.all([store.pools.update({ ...pool(id, 'second'), updatedAt: T0 + 1 }), store.pools.get(id)]);
    assert.ok(['first', 'second'].includes(read!.name));
    queries();
    assert.equal((await store.pools.get(id))?.name, 'second');
  });
});

test('a read that a write overtook is not kept, even if a newer read was kept meanwhile', async () => {
  let version = 0;
  const reads = new UnchangedReads(() => String(version));
  let finishSlowRead!: (value: string) => void;
  const slow = reads.read('k', () => new Promise<string>((resolve) => (finishSlowRead = resolve)));
  version++; // a write lands while the slow read is under way
  assert.equal(await reads.read('k', () => Promise.resolve('after the write')), 'after the write');
  finishSlowRead('before the write');
  assert.equal(await slow, 'before the write');
  assert.equal(await reads.read('k', () => Promise.resolve('queried again')), 'after the write');
});
