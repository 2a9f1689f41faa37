/**
 * `npx tsx bench/postgres-statements.ts [--calls 20000] [--users 10000]`: what named prepared
 * statements save on PostgreSQL (src/store/dialects/postgres-prepared.ts), per store call, with
 * them and without, taking turns: this process's CPU and the PostgreSQL backend's CPU (from
 * /proc/<backend pid>/stat: the server must run on this machine), for the reads every hot path
 * makes (a user by username, a user pool by id past the cache) and a ListUsers page.
 *
 * CPU time, not wall time, so the figures hold on a machine shared with other work: calls go one at
 * a time on one connection, and a busy machine stretches the wall time, not the CPU a call takes.
 * Needs COGNATE_BENCH_PG_URL; runs in a schema of its own, dropped at the end.
 */
import { parseArgs } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Sealer } from '../src/crypto/sealing.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../src/store/database.js';
import { createSqlStore } from '../src/store/sql/index.js';
import type { Store, UserPoolRecord } from '../src/store/ports.js';
import { newUserRecord } from '../src/auth/new-user.js';
import { createBenchSchema } from './postgres.js';
import { cpuSeconds } from './process-stats.js';

const { values: args } = parseArgs({
  options: { calls: { type: 'string', default: '20000' }, users: { type: 'string', default: '10000' } },
});
const calls = Number(args.calls);
const users = Number(args.users);
const baseUrl = process.env['COGNATE_BENCH_PG_URL'];
if (baseUrl === undefined || !Number.isInteger(calls) || calls < 100 || !Number.isInteger(users) || users < 1) {
  console.error('usage: COGNATE_BENCH_PG_URL=postgres://... npx tsx bench/postgres-statements.ts [--calls N] [--users N]');
  process.exit(2);
}

const POOL_ID = 'us-east-1_Statements';
const sealer = new Sealer(randomBytes(32));

interface Node {
  open: OpenDatabase;
  store: Store;
  backendPid: number;
}

async function node(url: string, preparedStatements: boolean): Promise<Node> {
  // One connection, so that one backend process does all of this node's work.
  const open = openDatabase(url, { poolSize: 1, preparedStatements });
  await migrateToLatest(open);
  const store = createSqlStore(open, sealer);
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(open.db);
  return { open, store, backendPid: rows[0]!.pid };
}

/** The reads measured, each one store call. */
const READS: Record<string, (store: Store, open: OpenDatabase, i: number) => Promise<unknown>> = {
  'user by username': (store, _open, i) => store.users.get(POOL_ID, `user${i % users}`),
  // The pool's row as read past the cache (a cached read would not reach the database).
  'user pool by id': (_store, open) => open.db.selectFrom('user_pools').selectAll().where('id', '=', POOL_ID).executeTakeFirst(),
  'ListUsers page, email ^=': (store, _open, i) => store.users.list(POOL_ID, { field: 'email', op: '^=', value: `user${i % 100}` }, 60),
};

async function measure(target: Node, read: (typeof READS)[string], count: number): Promise<{ node: number; postgres: number }> {
  const nodeBefore = process.cpuUsage();
  const postgresBefore = cpuSeconds(target.backendPid);
  for (let i = 0; i < count; i++) await read(target.store, target.open, i);
  const nodeUsed = process.cpuUsage(nodeBefore);
  return {
    node: ((nodeUsed.user + nodeUsed.system) / count) * 1e-3,
    postgres: ((cpuSeconds(target.backendPid) - postgresBefore) / count) * 1e3,
  };
}

const schema = await createBenchSchema(baseUrl);
try {
  const named = await node(schema.url, true);
  const unnamed = await node(schema.url, false);
  const now = Date.now();
  const pool: UserPoolRecord = { id: POOL_ID, name: 'statements', region: 'us-east-1', config: {}, createdAt: now, updatedAt: now };
  await named.store.pools.create(pool);
  for (let at = 0; at < users; at += 1000) {
    // Built as load-users builds its users.
    const batch = Array.from({ length: Math.min(1000, users - at) }, (_, k) =>
      newUserRecord(pool, {
        username: `user${at + k}`,
        sub: randomUUID(),
        status: 'CONFIRMED',
        attributes: { email: `user${at + k}@example.com`, email_verified: 'true' },
        now,
      }),
    );
    await named.store.users.insertMany(batch);
  }
  console.log(`PostgreSQL, one connection each, ${calls} calls per read and mode in 4 turns; CPU per call (µs):`);
  console.log('| Read | Node, named | Node, unnamed | PostgreSQL, named | PostgreSQL, unnamed |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [label, read] of Object.entries(READS)) {
    // Warm both (plans, caches), then alternate so that the machine's drift falls on both alike.
    await measure(named, read, 200);
    await measure(unnamed, read, 200);
    const sums = { named: { node: 0, postgres: 0 }, unnamed: { node: 0, postgres: 0 } };
    for (let turn = 0; turn < 4; turn++) {
      for (const [mode, target] of [
        ['named', named],
        ['unnamed', unnamed],
      ] as const) {
        const result = await measure(target, read, calls / 4);
        sums[mode].node += result.node / 4;
        sums[mode].postgres += result.postgres / 4;
      }
    }
    const µs = (ms: number) => (ms * 1000).toFixed(0);
    console.log(
      `| ${label} | ${µs(sums.named.node)} | ${µs(sums.unnamed.node)} | ${µs(sums.named.postgres)} | ${µs(sums.unnamed.postgres)} |`,
    );
  }
  await named.store.close();
  await unnamed.store.close();
} finally {
  await schema.drop();
}
