import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sealer } from '../../src/crypto/sealing.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/store/database.js';
import type { Store } from '../../src/store/ports.js';
import { createSqlStore } from '../../src/store/sql/index.js';
import { TEST_PG_URL_VARIABLE, createTestSchema, postgresSkipReason, runningInCi, testPostgresUrl } from '../support/postgres.js';

/** One open, migrated database with the real SQL store over it. */
export interface StoreHarness {
  readonly store: Store;
  /** The raw database, to look at rows as they are stored. */
  readonly open: OpenDatabase;
  /** A second handle on the same database (a fresh connection pool), for re-running migrations. */
  reopen(): OpenDatabase;
  readonly sealer: Sealer;
  close(): Promise<void>;
}

/** How to get a fresh, empty, migrated database on one engine. */
export interface StoreEngine {
  readonly name: 'sqlite' | 'postgres';
  fresh(): Promise<StoreHarness>;
}

function harness(url: string, cleanup: () => Promise<void>): Promise<StoreHarness> {
  return (async () => {
    const open = openDatabase(url, { poolSize: 4 });
    try {
      await migrateToLatest(open);
    } catch (error) {
      await open.close();
      await cleanup();
      throw error;
    }
    const sealer = new Sealer(randomBytes(32));
    const store = createSqlStore(open, sealer);
    return {
      store,
      open,
      sealer,
      reopen: () => openDatabase(url, { poolSize: 2 }),
      async close() {
        await store.close();
        await cleanup();
      },
    };
  })();
}

/** SQLite on a temporary file (WAL, as in production), removed on close. */
export const sqliteEngine: StoreEngine = {
  name: 'sqlite',
  fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-store-'));
    return harness(`sqlite:${join(dir, 'store.db')}`, async () => rmSync(dir, { recursive: true, force: true }));
  },
};

/** PostgreSQL in a schema of its own under `baseUrl`, dropped on close. */
export function postgresEngine(baseUrl: string): StoreEngine {
  return {
    name: 'postgres',
    async fresh() {
      const schema = await createTestSchema(baseUrl);
      return harness(schema.url, () => schema.drop());
    },
  };
}

/**
 * A fresh store on `engine` for the cases of the enclosing suite: opened before them (and handed
 * to `opened`), closed after them.
 */
export function withFreshStore(engine: StoreEngine, opened: (harness: StoreHarness) => void): void {
  let h: StoreHarness | undefined;
  before(async () => {
    h = await engine.fresh();
    opened(h);
  });
  after(() => h?.close());
}

/**
 * Defines `suite` on PostgreSQL when the test database is set. Under CI a skipped engine would pass
 * silently, so there a missing database is a failing case; elsewhere a skipped one.
 */
export function describeOnPostgres(title: string, suite: (engine: StoreEngine) => void): void {
  const url = testPostgresUrl();
  if (url !== undefined) {
    describe(title, () => {
      suite(postgresEngine(url));
    });
  } else if (runningInCi()) {
    test(title, () => {
      assert.fail(`${TEST_PG_URL_VARIABLE} must be set in CI (.ci/run sets it)`);
    });
  } else {
    test(title, { skip: postgresSkipReason() }, () => {});
  }
}

/** Defines `suite` on SQLite and on PostgreSQL (see describeOnPostgres), as `<title> on <engine>`. */
export function describeOnEachEngine(title: string, suite: (engine: StoreEngine) => void): void {
  describe(`${title} on SQLite`, () => {
    suite(sqliteEngine);
  });
  describeOnPostgres(`${title} on PostgreSQL`, suite);
}
