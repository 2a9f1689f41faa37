import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { Sealer } from '../../src/crypto/sealing.js';
import { migrateToLatest, openDatabase, type OpenDatabase, type OpenDatabaseOptions } from '../../src/store/database.js';
import { createSqlStore } from '../../src/store/sql/index.js';
import type { Store } from '../../src/store/ports.js';
import { createTestSchema, testPostgresUrl, type TestSchema } from '../support/postgres.js';
import { pool, poolId as newPoolId } from './fixtures.js';
import { describeOnPostgres } from './harness.js';

/**
 * On PostgreSQL a node runs its parameterized statements as named prepared statements
 * (postgres-prepared.ts): prepared once per connection, and a name that goes stale under it (a
 * migration by another node, a deallocation) costs one statement run unnamed, never a broken node.
 */

const sealer = new Sealer(randomBytes(32));
const poolId = newPoolId();

describeOnPostgres('named prepared statements on PostgreSQL', () => {
  let schema: TestSchema;
  let admin: pg.Client;
  const opened: { open: OpenDatabase; store: Store }[] = [];

  /** A node on one connection, so that what it prepared can be read back on that connection. */
  async function node(options: OpenDatabaseOptions = {}): Promise<{ open: OpenDatabase; store: Store }> {
    const open = openDatabase(schema.url, { poolSize: 1, ...options });
    await migrateToLatest(open);
    const store = createSqlStore(open, sealer);
    opened.push({ open, store });
    return { open, store };
  }

  /** The statements prepared on the node's one connection that read user pools by id. */
  async function preparedPoolReads(open: OpenDatabase): Promise<string[]> {
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(open.db);
    return rows.filter((row) => row.statement.includes('from "user_pools" where "id" = $1')).map((row) => row.name);
  }

  const readPool = (open: OpenDatabase) =>
    open.db.selectFrom('user_pools').selectAll().where('id', '=', poolId).executeTakeFirst() as Promise<
      Record<string, unknown> | undefined
    >;

  before(async () => {
    schema = await createTestSchema(testPostgresUrl()!);
    admin = new pg.Client({ connectionString: schema.url });
    await admin.connect();
    const { store } = await node();
    await store.pools.create(pool(poolId, 'prepared'));
  });
  after(async () => {
    for (const { store } of opened) await store.close();
    await admin.end();
    await schema.drop();
  });

  test('a statement run twice is prepared once, by name, on its connection', async () => {
    const { open } = await node();
    await readPool(open);
    await readPool(open);
    const names = await preparedPoolReads(open);
    assert.equal(names.length, 1, `prepared: ${names.join(', ')}`);
    assert.match(names[0]!, /^cognate_/);
  });

  test('with databasePreparedStatements off nothing is prepared (for a pooler in transaction mode)', async () => {
    const { open } = await node({ preparedStatements: false });
    await readPool(open);
    await readPool(open);
    assert.deepEqual(await preparedPoolReads(open), []);
  });

  test("another node's migration under a prepared `select *` costs one unnamed run, then a fresh connection", async () => {
    const { open } = await node();
    await readPool(open);
    const pidBefore = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(open.db)).rows[0]!.pid;
    await admin.query('alter table user_pools add column added_by_a_later_version text');
    try {
      // The prepared plan now returns other columns: PostgreSQL refuses to run it (0A000).
      const row = await readPool(open);
      assert.equal(row?.['id'], poolId);
      assert.ok('added_by_a_later_version' in row!, 'the read sees the table as it is now');
      const pidAfter = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(open.db)).rows[0]!.pid;
      assert.notEqual(pidAfter, pidBefore, 'the connection with the stale name was closed, not pooled again');
      assert.equal((await readPool(open))?.['id'], poolId);
    } finally {
      await admin.query('alter table user_pools drop column added_by_a_later_version');
    }
  });

  test('inside a transaction a stale name fails that transaction only; the next one runs', async () => {
    const { open } = await node();
    await readPool(open);
    await admin.query('alter table user_pools add column added_inside text');
    try {
      await assert.rejects(
        open.db.transaction().execute((trx) => trx.selectFrom('user_pools').selectAll().where('id', '=', poolId).execute()),
        (error: { code?: string }) => error.code === '0A000',
      );
      const rows = await open.db
        .transaction()
        .execute((trx) => trx.selectFrom('user_pools').selectAll().where('id', '=', poolId).execute());
      assert.equal(rows.length, 1);
    } finally {
      await admin.query('alter table user_pools drop column added_inside');
    }
  });

  test('an ordinary error (a duplicate key) leaves the connection and what it prepared alone', async () => {
    const { open, store } = await node();
    await readPool(open);
    const pid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(open.db)).rows[0]!.pid;
    const before = await pid();
    await assert.rejects(store.pools.create(pool(poolId, 'again')), (error: Error) => !('code' in error) || error.code !== '0A000');
    assert.equal(await pid(), before);
    assert.equal((await preparedPoolReads(open)).length, 1);
  });

  test('a statement deallocated behind the driver is run again unnamed', async () => {
    const { open } = await node();
    await readPool(open);
    await sql`deallocate all`.execute(open.db);
    assert.equal((await readPool(open))?.['id'], poolId);
    assert.equal((await readPool(open))?.['id'], poolId);
  });
});
