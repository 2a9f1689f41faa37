import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import { LocalWrites } from '../../src/store/dialects/postgres-changes.js';

/**
 * LocalWrites decides which statements change the cached tables from the statement's tree alone:
 * a statement's written table is its target, so a read of a cached table inside a write to another
 * (a subquery) must not empty the cache, and a write to a cached table must, however it is built.
 */
function counter(): { db: Kysely<Record<string, Record<string, unknown>>>; writes: LocalWrites } {
  const writes = new LocalWrites(new Set(['user_pools', 'user_pool_clients']));
  const db = new Kysely<Record<string, Record<string, unknown>>>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (inner) => new SqliteIntrospector(inner),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
    plugins: [writes],
  });
  return { db, writes };
}

test('writes to a cached table count, whatever the statement looks like', async () => {
  const { db, writes } = counter();
  await db
    .insertInto('user_pools')
    .values({ id: 'p', data: new Uint8Array(64) })
    .execute();
  await db.updateTable('user_pools').set({ name: 'x' }).where('id', 'in', db.selectFrom('users').select('pool_id')).execute();
  await db.deleteFrom('user_pool_clients as c').where('c.id', '=', 'c1').execute();
  await db
    .with('changed', (w) => w.updateTable('user_pools').set({ name: 'y' }).returning('id'))
    .insertInto('users')
    .columns(['pool_id'])
    .expression(db.selectFrom('changed').select('id'))
    .execute();
  await sql`update user_pools set name = 'z'`.execute(db);
  assert.equal(writes.count, 5);
});

test('reads, and writes to other tables that only read a cached one, do not count', async () => {
  const { db, writes } = counter();
  await db.selectFrom('user_pools').selectAll().execute();
  await db.insertInto('users').columns(['pool_id']).expression(db.selectFrom('user_pools').select('id')).execute();
  await db.updateTable('users').set({ enabled: 0 }).where('pool_id', 'in', db.selectFrom('user_pools').select('id')).execute();
  await db.deleteFrom('users').where('pool_id', '=', 'user_pools').execute();
  assert.equal(writes.count, 0);
});
