import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';

/**
 * On SQLite an integer LIMIT is written into the SQL instead of bound: a bound LIMIT makes SQLite
 * prepare the statement again on every run (see InlineLimitSqliteCompiler).
 */

test('an integer LIMIT is part of the SQL text on SQLite, and still limits', async () => {
  const open = openDatabase('sqlite::memory:');
  try {
    await migrateToLatest(open);
    const now = Date.now();
    for (const name of ['a', 'b', 'c'])
      await open.db
        .insertInto('groups')
        .values({ pool_id: 'p', name, description: null, role_arn: null, precedence: null, created_at: now, updated_at: now })
        .execute();
    const query = open.db.selectFrom('groups').select('name').where('pool_id', '=', 'p').orderBy('name').limit(2);
    const compiled = query.compile();
    assert.match(compiled.sql, / limit 2$/);
    assert.deepEqual(compiled.parameters, ['p']);
    assert.deepEqual(
      (await query.execute()).map((row) => row.name),
      ['a', 'b'],
    );
    // Anything but a plain integer is still bound.
    const expression = open.db
      .selectFrom('groups')
      .select('name')
      .limit(sql<number>`${1} + ${1}`)
      .compile();
    assert.match(expression.sql, / limit \? \+ \?$/);
  } finally {
    await open.close();
  }
});

test('SQLite keeps its statement journals and temporary tables in memory', async () => {
  const open = openDatabase('sqlite::memory:');
  try {
    const { rows } = await sql<{ temp_store: number }>`pragma temp_store`.execute(open.db);
    // 2 is MEMORY (0 DEFAULT, 1 FILE).
    assert.deepEqual(rows, [{ temp_store: 2 }]);
  } finally {
    await open.close();
  }
});
