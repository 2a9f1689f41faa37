import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { LogEvent } from 'kysely';
import { Sealer } from '../../src/crypto/sealing.js';
import { migrateToLatest, openDatabase, type OpenDatabase, type OpenDatabaseOptions } from '../../src/store/database.js';
import type { Store } from '../../src/store/ports.js';
import { createSqlStore } from '../../src/store/sql/index.js';
import { createTestSchema, testPostgresUrl, type TestSchema } from '../support/postgres.js';
import { T0, client, clientId, pool, poolId, user } from './fixtures.js';
import { describeOnPostgres } from './harness.js';
import { eventually } from '../support/eventually.js';

/**
 * On PostgreSQL each node keeps the pools, clients, resource servers, gateway APIs and IAM roles it
 * read, and drops them when the database announces a change (0027-change-notifications and
 * PostgresChangeListener). These tests run two nodes over one schema and hold the cache to: a
 * node sees its own change at once, another node's or anyone's change as soon as it is announced,
 * and nothing is reused while changes cannot be heard.
 */

interface Node {
  open: OpenDatabase;
  store: Store;
  /** The SQL texts the node has run since the last call. */
  queries(): string[];
}

const readsOf = (queries: string[], table: string): number =>
  queries.filter((q) => q.startsWith('select') && q.includes(`from "${table}"`)).length;

const sealer = new Sealer(randomBytes(32));

describeOnPostgres('cached reads on PostgreSQL, told of changes by the database', () => {
  let schema: TestSchema;
  let admin: pg.Client;
  const nodes: Node[] = [];

  async function node(options: OpenDatabaseOptions = {}): Promise<Node> {
    let seen: string[] = [];
    const open = openDatabase(schema.url, {
      poolSize: 2,
      readLeaseMs: 3_600_000,
      ...options,
      log: (event: LogEvent) => void seen.push(event.query.sql),
    });
    await migrateToLatest(open);
    await open.changeListener!.listening();
    const store = createSqlStore(open, sealer);
    const opened: Node = {
      open,
      store,
      queries: () => {
        const taken = seen;
        seen = [];
        return taken;
      },
    };
    nodes.push(opened);
    return opened;
  }

  before(async () => {
    schema = await createTestSchema(testPostgresUrl()!);
    admin = new pg.Client({ connectionString: schema.url });
    await admin.connect();
  });
  after(async () => {
    for (const { store } of nodes) await store.close();
    await admin.end();
    await schema.drop();
  });

  test('a pool, client and resource server read again with no change between are not queried again', async () => {
    const one = await node();
    const id = poolId();
    const app = client(id, clientId(), 'app');
    await one.store.pools.create(pool(id, 'first'));
    await one.store.clients.create(app);
    await one.store.resourceServers.create({ poolId: id, identifier: 'api', name: 'API', scopes: [], createdAt: T0, updatedAt: T0 });
    // The creations' own notifications come back too: heard before the reads, they cannot empty the cache in between.
    await one.open.changeListener!.caughtUp();
    one.queries();
    for (let i = 0; i < 3; i++) {
      assert.equal((await one.store.pools.get(id))?.name, 'first');
      assert.equal((await one.store.clients.get(id, app.clientId))?.name, 'app');
      assert.equal((await one.store.resourceServers.get(id, 'api'))?.name, 'API');
    }
    const reads = one.queries();
    assert.equal(readsOf(reads, 'user_pools'), 1);
    assert.equal(readsOf(reads, 'user_pool_clients'), 1);
    assert.equal(readsOf(reads, 'resource_servers'), 1);
  });

  test('writes to other tables, as every sign-in makes, leave the cached reads in place', async () => {
    const one = await node();
    const id = poolId();
    const app = client(id, clientId(), 'app');
    await one.store.pools.create(pool(id, 'first'));
    await one.store.clients.create(app);
    await one.open.changeListener!.caughtUp();
    await one.store.pools.get(id);
    await one.store.clients.get(id, app.clientId);
    one.queries();
    await one.store.rateCounters.hit(`k-${id}`, 60_000, T0);
    await one.store.transaction((trx) => trx.rateCounters.hit(`k-${id}`, 60_000, T0));
    await one.store.users.insertMany([user(id, 'alice')]);
    assert.equal((await one.store.pools.get(id))?.name, 'first');
    assert.equal((await one.store.clients.get(id, app.clientId))?.name, 'app');
    const reads = one.queries();
    assert.equal(readsOf(reads, 'user_pools'), 0);
    assert.equal(readsOf(reads, 'user_pool_clients'), 0);
  });

  test("a node's own change is seen by its next read, inside a transaction or not", async () => {
    const one = await node();
    const id = poolId();
    await one.store.pools.create(pool(id, 'first'));
    assert.equal((await one.store.pools.get(id))?.name, 'first');
    await one.store.pools.update({ ...pool(id, 'second'), updatedAt: T0 + 1 });
    assert.equal((await one.store.pools.get(id))?.name, 'second');
    await one.store.transaction(async (trx) => {
      await trx.pools.update({ ...pool(id, 'third'), updatedAt: T0 + 2 });
      // Read outside the transaction before it commits: the committed name, which the commit then replaces.
      assert.equal((await one.store.pools.get(id))?.name, 'second');
    });
    assert.equal((await one.store.pools.get(id))?.name, 'third');
  });

  test("another node's change, and a change made in plain SQL, are seen once announced", async () => {
    const one = await node();
    const two = await node();
    const id = poolId();
    const app = client(id, clientId(), 'app');
    await one.store.pools.create(pool(id, 'first'));
    await one.store.clients.create(app);
    assert.equal((await one.store.pools.get(id))?.name, 'first');
    assert.equal((await one.store.clients.get(id, app.clientId))?.name, 'app');

    await two.store.clients.update({ ...app, name: 'renamed by node two' });
    await eventually(
      'node one sees node two’s client change',
      async () => (await one.store.clients.get(id, app.clientId))?.name === 'renamed by node two',
      5000,
    );

    await admin.query('update user_pools set name = $1 where id = $2', ['renamed in SQL', id]);
    await eventually('node one sees the SQL change', async () => (await one.store.pools.get(id))?.name === 'renamed in SQL', 5000);
    // And reuses it again after that.
    one.queries();
    await one.store.pools.get(id);
    await one.store.pools.get(id);
    assert.ok(readsOf(one.queries(), 'user_pools') <= 1);
  });

  test('while the listening connection is down nothing is reused, and caching resumes once it listens again', async () => {
    const one = await node();
    const id = poolId();
    await one.store.pools.create(pool(id, 'first'));
    await one.store.pools.get(id);
    const pid = one.open.changeListener!.backendPid;
    assert.ok(pid !== undefined);
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await eventually('the listener notices it lost its connection', async () => one.open.changeListener!.heard() === undefined, 5000);
    // A change it cannot hear: no trigger would reach it now.
    await admin.query('update user_pools set name = $1 where id = $2', ['changed while deaf', id]);
    one.queries();
    assert.equal((await one.store.pools.get(id))?.name, 'changed while deaf');
    await one.store.pools.get(id);
    assert.equal(readsOf(one.queries(), 'user_pools'), 2);

    await one.open.changeListener!.listening();
    assert.notEqual(one.open.changeListener!.backendPid, pid);
    await one.store.pools.get(id);
    await one.store.pools.get(id);
    assert.equal(readsOf(one.queries(), 'user_pools'), 1);
  });

  test('a change whose notification never comes is seen when the lease ends', async () => {
    const one = await node({ readLeaseMs: 300 });
    const id = poolId();
    await one.store.pools.create(pool(id, 'first'));
    await one.open.changeListener!.caughtUp();
    assert.equal((await one.store.pools.get(id))?.name, 'first');
    // Without its trigger the table announces nothing: only the lease can bring the change.
    await admin.query('begin');
    await admin.query('alter table user_pools disable trigger cognate_announce_change');
    await admin.query('update user_pools set name = $1 where id = $2', ['unannounced', id]);
    await admin.query('alter table user_pools enable trigger cognate_announce_change');
    await admin.query('commit');
    await eventually('node one sees the unannounced change', async () => (await one.store.pools.get(id))?.name === 'unannounced', 3000);
  });

  test('identities and STS sessions, whose changes are not announced, are read every time', async () => {
    const one = await node();
    one.queries();
    await one.store.identities.get('us-east-1:00000000-0000-4000-8000-000000000000');
    await one.store.identities.get('us-east-1:00000000-0000-4000-8000-000000000000');
    await one.store.stsSessions.get('ASIAEXAMPLEEXAMPLE00');
    await one.store.stsSessions.get('ASIAEXAMPLEEXAMPLE00');
    const reads = one.queries();
    assert.equal(readsOf(reads, 'identities'), 2);
    assert.equal(readsOf(reads, 'sts_sessions'), 2);
  });
});
