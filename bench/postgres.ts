import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh schema for one bench run in the database COGNATE_BENCH_PG_URL names, so a run starts
 * empty, never touches other data in a shared database, and leaves nothing behind.
 */
export interface BenchSchema {
  /** The schema's name. */
  name: string;
  /** The database URL with `search_path` set to the schema. */
  url: string;
  drop(): Promise<void>;
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchSchema(baseUrl: string): Promise<BenchSchema> {
  const name = `cognate_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`CREATE SCHEMA "${name}"`));
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    drop: () => withClient(baseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)).then(() => undefined),
  };
}
