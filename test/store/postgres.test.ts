import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresEngine } from './harness.js';
import { defineStoreSuite } from './suite.js';
import { TEST_PG_URL_VARIABLE, postgresSkipReason, runningInCi, testPostgresUrl } from '../support/postgres.js';

const url = testPostgresUrl();

if (url !== undefined) {
  describe('store on PostgreSQL', () => {
    defineStoreSuite(postgresEngine(url));
  });
} else if (runningInCi()) {
  // Under CI a skipped engine would pass silently; the setup is broken, so say so.
  test('store on PostgreSQL', () => {
    assert.fail(`${TEST_PG_URL_VARIABLE} must be set in CI (.ci/run sets it)`);
  });
} else {
  test('store on PostgreSQL', { skip: postgresSkipReason() }, () => {});
}
