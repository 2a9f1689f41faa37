import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/store/database.js';
import { createTestSchema, testPostgresUrl, type TestSchema } from '../support/postgres.js';
import { describeOnPostgres } from './harness.js';

/**
 * Migrating one schema of a database that others share reads nothing outside that schema, so
 * another application (or another test file) changing its own schema at the same moment cannot
 * fail our migration. Kysely's own introspector read every column of every schema by name, and a
 * column renamed elsewhere mid-read failed it with undefined_column (seen in CI, stop 28).
 */

describeOnPostgres('migrating one schema of a shared PostgreSQL database', () => {
  let ours: TestSchema;
  let theirs: TestSchema;
  let other: pg.Client;
  before(async () => {
    ours = await createTestSchema(testPostgresUrl()!);
    theirs = await createTestSchema(testPostgresUrl()!);
    other = new pg.Client({ connectionString: theirs.url });
    await other.connect();
    await other.query('create table busy (a integer, b text)');
    await other.query('create table kysely_migration (name text)');
  });
  after(async () => {
    await other.end();
    await ours.drop();
    await theirs.drop();
  });

  /** The name the other schema's churned column has now. */
  let column = 'a';

  /** Renames a column of the other schema's table back and forth until `done` settles. */
  async function churnWhile<T>(done: Promise<T>): Promise<{ value: T; renames: number }> {
    let settled = false;
    const watched = done.finally(() => (settled = true));
    let renames = 0;
    const churn = (async () => {
      while (!settled) {
        const next = column === 'a' ? 'c' : 'a';
        await other.query(`alter table busy rename column ${column} to ${next}`);
        column = next;
        renames++;
      }
    })();
    const [value] = await Promise.all([watched, churn]);
    return { value, renames };
  }

  test("the tables the migrator sees are the current schema's alone, not a same-named table of another schema", async () => {
    const open = openDatabase(ours.url, { poolSize: 2 });
    try {
      await migrateToLatest(open);
      const tables = await open.db.introspection.getTables({ withInternalKyselyTables: true });
      assert.ok(tables.length > 20, `${tables.length} tables`);
      assert.deepEqual([...new Set(tables.map((table) => table.schema))], [ours.name]);
      assert.ok(tables.some((table) => table.name === 'kysely_migration'));
      assert.ok(!tables.some((table) => table.name === 'busy'));
    } finally {
      await open.close();
    }
  });

  test("reads of the tables while another schema renames a column all answer; Kysely's own introspector fails on the same churn", async () => {
    const open: OpenDatabase = openDatabase(ours.url, { poolSize: 2 });
    // The introspector Kysely ships, over the same database, as the oracle that the churn bites.
    const stock = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ours.url, max: 1 }) }) });
    try {
      const ourReads = await churnWhile(
        (async () => {
          for (let i = 0; i < 200; i++) await open.db.introspection.getTables({ withInternalKyselyTables: true });
          return 'answered';
        })(),
      );
      assert.equal(ourReads.value, 'answered');
      assert.ok(ourReads.renames > 10, `${ourReads.renames} renames`);

      const stockReads = await churnWhile(
        (async () => {
          for (let i = 0; i < 200; i++) {
            try {
              await stock.introspection.getTables({ withInternalKyselyTables: true });
            } catch (error) {
              return (error as { code?: string }).code;
            }
          }
          return 'answered';
        })(),
      );
      // undefined_column for the churned table; invalid_schema_name when another run drops its schema meanwhile.
      assert.ok(['42703', '3F000'].includes(String(stockReads.value)), `Kysely's introspector answered: ${String(stockReads.value)}`);
    } finally {
      await stock.destroy();
      await open.close();
    }
  });
});
