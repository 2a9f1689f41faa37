import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { retryWhileSchemasVanish } from '../../src/store/database.js';
import { testPostgresUrl } from '../support/postgres.js';
import { describeOnPostgres } from './harness.js';

/**
 * Migrating is retried when PostgreSQL reports a schema that vanished while the migrator listed
 * every schema's tables (another test file, or another application, dropping its own schema). The
 * error here is PostgreSQL's own, asked for by name.
 */

describeOnPostgres('migration retries on PostgreSQL', () => {
  async function vanishedSchemaError(): Promise<Error> {
    const client = new pg.Client({ connectionString: testPostgresUrl() });
    await client.connect();
    try {
      await client.query(`select has_schema_privilege('cognate_t_vanished_schema', 'USAGE')`);
    } catch (error) {
      return error as Error;
    } finally {
      await client.end();
    }
    throw new Error('PostgreSQL answered for a schema that does not exist');
  }

  test('a schema that does not exist is retried, and the second attempt is the answer', async () => {
    const error = await vanishedSchemaError();
    assert.match(error.message, /schema "cognate_t_vanished_schema" does not exist/);
    let calls = 0;
    await retryWhileSchemasVanish(async () => {
      calls++;
      if (calls === 1) throw error;
    });
    assert.equal(calls, 2);
  });

  test('the same error every time is thrown after the last attempt', async () => {
    const error = await vanishedSchemaError();
    let calls = 0;
    await assert.rejects(
      retryWhileSchemasVanish(async () => {
        calls++;
        throw error;
      }, 3),
      (thrown: unknown) => thrown === error,
    );
    assert.equal(calls, 3);
  });

  test('any other error is thrown at once', async () => {
    let calls = 0;
    const other = Object.assign(new Error('relation "x" already exists'), { code: '42P07' });
    await assert.rejects(
      retryWhileSchemasVanish(async () => {
        calls++;
        throw other;
      }),
      (thrown: unknown) => thrown === other,
    );
    assert.equal(calls, 1);
  });
});
