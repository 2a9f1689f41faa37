import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The environment variable that points the tests at a PostgreSQL database (`.ci/run` sets it). */
export const TEST_PG_URL_VARIABLE = 'COGNATE_TEST_PG_URL';

/** The test database URL, or undefined when PostgreSQL tests should be skipped. */
export function testPostgresUrl(): string | undefined {
  const url = process.env[TEST_PG_URL_VARIABLE];
  return url === undefined || url === '' ? undefined : url;
}

/**
 * Why the PostgreSQL tests do not run, or undefined when they do. In CI the variable must be set:
 * there a missing database is a broken setup, not a reason to skip.
 */
export function postgresSkipReason(): string | undefined {
  if (testPostgresUrl() !== undefined) return undefined;
  return `${TEST_PG_URL_VARIABLE} is not set: PostgreSQL tests skipped (.ci/run starts the local cluster and sets it)`;
}

/** True when running under CI, where skipping PostgreSQL is not allowed. */
export function runningInCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export interface TestSchema {
  /** The schema's name, unique to this run. */
  readonly name: string;
  /** The database URL with `search_path` set to the schema, so every pooled connection uses it. */
  readonly url: string;
  /** Drops the schema and everything in it (tables, the migration bookkeeping). */
  drop(): Promise<void>;
}

/** Schemas this helper creates: `<prefix>_<base36 epoch ms>_<random>`. */
const SCHEMA_PREFIX = 'cognate_t';
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates a fresh, empty schema in the test database and returns a URL whose connections see only
 * that schema. Each test file run gets its own, so runs are independent of each other and of
 * earlier runs; schemas left behind by runs that crashed hours ago are swept on the way.
 */
export async function createTestSchema(baseUrl: string): Promise<TestSchema> {
  const name = `${SCHEMA_PREFIX}_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
  await withClient(baseUrl, async (client) => {
    await sweepStaleSchemas(client);
    await client.query(`CREATE SCHEMA ${quoteIdent(name)}`);
  });
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(baseUrl, async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
      }),
  };
}

async function sweepStaleSchemas(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE $1`, [
    `${SCHEMA_PREFIX}\\_%`,
  ]);
  const cutoff = Date.now() - STALE_AFTER_MS;
  for (const { nspname } of rows) {
    const created = parseInt(nspname.split('_')[2] ?? '', 36);
    if (Number.isFinite(created) && created < cutoff) {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(nspname)} CASCADE`);
    }
  }
}
