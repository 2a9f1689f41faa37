import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type LogEvent } from 'kysely';
import { Sealer } from '../../src/crypto/sealing.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/store/database.js';
import { createSqlStore } from '../../src/store/sql/index.js';
import { InvalidCursorError } from '../../src/store/sql/users.js';
import type { Store, UserFilter, UserRecord } from '../../src/store/ports.js';
import { loadedUserAttributes } from '../../src/tools-cli/load-users.js';
import { TEST_PG_URL_VARIABLE, createTestSchema, postgresSkipReason, runningInCi, testPostgresUrl } from '../support/postgres.js';

/**
 * ListUsers at scale, on both engines: every filter and every page is one range of the
 * `(pool_id, column, username_key)` index it belongs to — no table scan, no sort, and the cursor
 * bound inside the index range (a deep page costs what the first does) — checked with the engine's
 * own EXPLAIN of the queries the store really runs, over a pool of a few thousand users next to
 * another pool of the same size. Also the bulk insert the loader uses.
 */

const POOL = 'us-east-1_planspool';
const OTHER = 'us-east-1_otherpool';
const USERS = 3000;

function loadedUser(poolId: string, i: number, now: number): UserRecord {
  const sub = randomUUID();
  return {
    poolId,
    username: `user${i}`,
    usernameKey: `user${i}`,
    sub,
    // A few of each other state and disabled users, so `=` filters on them are selective.
    status: i % 10 === 0 ? 'UNCONFIRMED' : 'CONFIRMED',
    enabled: i % 25 !== 0,
    // Optional attributes only some users have: their indexes hold those users alone (0029).
    attributes: {
      sub,
      ...loadedUserAttributes('user', i),
      ...(i % 3 === 0 ? { phone_number: `+1555${String(i).padStart(7, '0')}` } : {}),
      ...(i % 7 === 0 ? { preferred_username: `pu${i % 50}` } : {}),
    },
    passwordHash: 'shared-hash',
    passwordChangedAt: now,
    tokensValidAfter: 0,
    extra: {},
    createdAt: now,
    updatedAt: now,
  };
}

interface Engine {
  name: 'sqlite' | 'postgres';
  url(): Promise<{ url: string; drop(): Promise<void> }>;
}

/**
 * Every searchable filter, each with a second page. `dense` filters match most of the pool: there
 * PostgreSQL may rightly walk the primary key in username order and filter (a page is found at
 * once, and the pinned column needs no ordering), which is still one bounded index range.
 */
const FILTERS: { label: string; filter: UserFilter | undefined; index: string; dense?: boolean }[] = [
  { label: 'no filter', filter: undefined, index: 'pk' },
  { label: 'email ^=', filter: { field: 'email', op: '^=', value: 'user12' }, index: 'users_email_key' },
  { label: 'email =', filter: { field: 'email', op: '=', value: 'user42@example.com' }, index: 'users_email_key' },
  { label: 'given_name =', filter: { field: 'given_name', op: '=', value: 'alice' }, index: 'users_given_name_key' },
  { label: 'family_name ^=', filter: { field: 'family_name', op: '^=', value: 'wa' }, index: 'users_family_name_key' },
  { label: 'name ^=', filter: { field: 'name', op: '^=', value: 'alice s' }, index: 'users_name_key' },
  { label: 'phone_number ^=', filter: { field: 'phone_number', op: '^=', value: '+1555000' }, index: 'users_phone_number' },
  {
    label: 'preferred_username =',
    filter: { field: 'preferred_username', op: '=', value: 'pu7' },
    index: 'users_preferred_username_key',
  },
  {
    label: 'cognito:user_status = UNCONFIRMED',
    filter: { field: 'cognito:user_status', op: '=', value: 'UNCONFIRMED' },
    index: 'users_status',
  },
  {
    label: 'cognito:user_status = CONFIRMED',
    filter: { field: 'cognito:user_status', op: '=', value: 'CONFIRMED' },
    index: 'users_status',
    dense: true,
  },
  { label: 'status = Disabled', filter: { field: 'status', op: '=', value: 'Disabled' }, index: 'users_enabled' },
  { label: 'status = Enabled', filter: { field: 'status', op: '=', value: 'Enabled' }, index: 'users_enabled', dense: true },
  { label: 'sub ^=', filter: { field: 'sub', op: '^=', value: 'a' }, index: 'users_sub' },
  { label: 'username ^=', filter: { field: 'username', op: '^=', value: 'user1' }, index: 'pk' },
];

/** The engine's plan for a logged query, as lines of text. */
async function explain(open: OpenDatabase, query: { sql: string; parameters: readonly unknown[] }): Promise<string[]> {
  // EXPLAIN takes no bind parameters in either engine's driver path here; inline them as literals.
  const literal = (v: unknown): string => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  if (open.dialect.name === 'postgres') {
    const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.parameters[Number(n) - 1]));
    const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain ${text}`).execute(open.db);
    return rows.map((r) => r['QUERY PLAN']);
  }
  let at = 0;
  const text = query.sql.replace(/\?/g, () => literal(query.parameters[at++]));
  const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${text}`).execute(open.db);
  return rows.map((r) => r.detail);
}

function defineSuite(engine: Engine): void {
  let drop: () => Promise<void>;
  let open: OpenDatabase;
  let store: Store;
  let lastQuery: { sql: string; parameters: readonly unknown[] } | undefined;
  /** Every statement text run so far. */
  const texts = new Set<string>();

  before(async () => {
    const target = await engine.url();
    drop = target.drop;
    open = openDatabase(target.url, {
      poolSize: 2,
      log: (event: LogEvent) => {
        lastQuery = { sql: event.query.sql, parameters: event.query.parameters };
        texts.add(event.query.sql);
      },
    });
    await migrateToLatest(open);
    store = createSqlStore(open, new Sealer(randomBytes(32)));
    for (const poolId of [POOL, OTHER]) {
      await store.pools.create({ id: poolId, name: poolId, region: 'us-east-1', config: {}, createdAt: 0, updatedAt: 0 });
      const users = Array.from({ length: USERS }, (_, i) => loadedUser(poolId, i, 1_700_000_000_000));
      // More rows than one statement binds: insertMany splits them.
      assert.equal(await store.transaction((tx) => tx.users.insertMany(users)), USERS);
    }
    // The steady state the planner sees in production (autovacuum / PRAGMA optimize keep stats).
    await sql`analyze`.execute(open.db);
  });

  after(async () => {
    await open?.close();
    await drop?.();
  });

  test('insertMany stores the same row insert does, and skips taken usernames', async () => {
    const now = 1_700_000_000_000;
    const one = loadedUser(POOL, 99_001, now);
    const many = { ...loadedUser(POOL, 99_002, now), attributes: { ...one.attributes, sub: 'x' } };
    assert.equal(await store.users.insert(one), true);
    assert.equal(await store.users.insertMany([many, { ...one }]), 1);
    const columns = [
      'email_key',
      'email_verified',
      'phone_number',
      'phone_verified',
      'name_key',
      'given_name_key',
      'family_name_key',
      'preferred_username_key',
    ] as const;
    const rows = await open.db
      .selectFrom('users')
      .select(columns)
      .where('pool_id', '=', POOL)
      .where('username_key', 'in', ['user99001', 'user99002'])
      .execute();
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], rows[1]);
    assert.equal(rows[0]!.given_name_key, loadedUserAttributes('user', 99_001)['given_name']!.toLowerCase());
    assert.equal(await store.users.insertMany([]), 0);
    await store.users.delete(POOL, 'user99001');
    await store.users.delete(POOL, 'user99002');
    assert.equal(await store.users.count(POOL), USERS);
  });

  test('insertMany and takenUsernameKeys run batches of any size with a few statement texts', async () => {
    const poolId = 'us-east-1_textspool';
    await store.pools.create({ id: poolId, name: poolId, region: 'us-east-1', config: {}, createdAt: 0, updatedAt: 0 });
    texts.clear();
    let next = 0;
    for (const size of [1, 3, 37, 100, 255, 500, 501, 777, 999, 1000, 1200, 1500, 2049]) {
      const users = Array.from({ length: size }, () => loadedUser(poolId, next++, 1_700_000_000_000));
      assert.equal(await store.transaction((tx) => tx.users.insertMany(users)), size);
      const keys = users.map((u) => u.usernameKey);
      assert.deepEqual([...(await store.users.takenUsernameKeys(poolId, [...keys, 'nobody']))].sort(), [...keys].sort());
    }
    assert.equal(await store.users.count(poolId), next);
    const inserts = [...texts].filter((text) => /^insert into "users"/.test(text));
    const selects = [...texts].filter((text) => /^select "username_key" from "users"/.test(text));
    // Powers of two from 1 to 1,024 at most, and far fewer than one per size.
    assert.ok(inserts.length <= 11, `${inserts.length} insert texts`);
    assert.ok(selects.length <= 11, `${selects.length} select texts`);
    await open.db.deleteFrom('users').where('pool_id', '=', poolId).execute();
  });

  test('EstimatedNumberOfUsers: exact up to 10,000 users; past that, PostgreSQL estimates instead of counting', async () => {
    assert.equal(await store.users.estimatedCount(POOL), USERS);
    assert.equal(await store.users.estimatedCount('us-east-1_nosuchpool'), 0);
    const poolId = 'us-east-1_estimated';
    const size = 12_000;
    await store.pools.create({ id: poolId, name: poolId, region: 'us-east-1', config: {}, createdAt: 0, updatedAt: 0 });
    const users = Array.from({ length: size }, (_, i) => loadedUser(poolId, i, 1_700_000_000_000));
    await store.transaction((tx) => tx.users.insertMany(users));
    await store.users.refreshStatistics();
    texts.clear();
    const estimate = await store.users.estimatedCount(poolId);
    const ran = [...texts].join('\n');
    if (engine.name === 'postgres') {
      // The statistics' figure, not a count: close to the size, never below what was counted.
      assert.ok(Math.abs(estimate - size) < size * 0.05, `estimate ${estimate}`);
      assert.match(ran, /limit \$2/);
      assert.match(ran, /^explain \(format json\)/m);
    } else {
      assert.equal(estimate, size);
    }
    await open.db.deleteFrom('users').where('pool_id', '=', poolId).execute();
  });

  for (const { label, filter, index, dense } of FILTERS) {
    test(`ListUsers ${label}: pages 1 and 2 each read one range of ${index}, never the whole table`, async () => {
      const first = await store.users.list(POOL, filter, 2);
      // Emails are unique: that filter has one page only.
      if (label !== 'email =') assert.ok(first.next, 'the filter matches more than a page');
      const pk = engine.name === 'postgres' ? 'users_pk' : 'sqlite_autoindex_users_1';
      const allowed = [index === 'pk' ? pk : index, ...(dense && engine.name === 'postgres' ? [pk] : [])];
      for (const cursor of first.next === undefined ? [undefined] : [undefined, first.next]) {
        await store.users.list(POOL, filter, 60, cursor);
        const plan = (await explain(open, lastQuery!)).join('\n');
        assert.ok(
          allowed.some((name) => plan.includes(` ${name} `) || plan.includes(` ${name}\n`) || plan.endsWith(` ${name}`)),
          `${label}: uses ${allowed.join(' or ')}\n${plan}`,
        );
        if (engine.name === 'postgres') {
          // A Sort may only order the few matches a bitmap scan of the filter's index found.
          assert.doesNotMatch(plan, /Seq Scan/, plan);
          if (plan.includes('Sort')) assert.match(plan, new RegExp(`Bitmap Index Scan on ${index}`), plan);
          if (cursor !== undefined)
            assert.match(plan, /(Index|Recheck) Cond: .*(username_key >|sub >|ROW\()/, `cursor bound inside the index range\n${plan}`);
        } else {
          assert.doesNotMatch(plan, /\bSCAN users\b|TEMP B-TREE/, plan);
          if (cursor !== undefined)
            assert.match(plan, /\(pool_id=\? AND .*(username_key>\?|sub>\?|\)>\(\?,\?\))/, `cursor bound inside the index range\n${plan}`);
        }
      }
    });
  }

  test('paging a prefix filter 7 at a time returns each match once, in (value, username) order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.users.list(POOL, { field: 'family_name', op: '^=', value: 'wa' }, 7, cursor);
      seen.push(...page.users.map((u) => `${u.attributes['family_name']!.toLowerCase()} ${u.usernameKey}`));
      cursor = page.next;
    } while (cursor);
    const expected = Array.from({ length: USERS }, (_, i) => i)
      .filter((i) => loadedUserAttributes('user', i)['family_name']!.toLowerCase().startsWith('wa'))
      .map((i) => `${loadedUserAttributes('user', i)['family_name']!.toLowerCase()} user${i}`)
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.ok(expected.length > 7);
    assert.deepEqual(seen, expected);
  });

  test('a cursor the filter could not have produced is refused', async () => {
    const cursorOf = (parts: (string | number)[]) => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
    const refused: [UserFilter, (string | number)[]][] = [
      [{ field: 'email', op: '^=', value: 'user12' }, ['aaa@example.com', 'user1']],
      [{ field: 'given_name', op: '=', value: 'alice' }, ['bob', 'user1']],
      [{ field: 'given_name', op: '=', value: 'alice' }, ['alice']],
      [{ field: 'status', op: '=', value: 'Enabled' }, ['1', 'user1']],
      [{ field: 'sub', op: '^=', value: 'a' }, ['b']],
    ];
    for (const [filter, parts] of refused) {
      await assert.rejects(store.users.list(POOL, filter, 10, cursorOf(parts)), InvalidCursorError, JSON.stringify([filter, parts]));
    }
    await assert.rejects(store.users.list(POOL, undefined, 10, cursorOf([])), InvalidCursorError);
    // A status prefix that names no state matches nobody.
    assert.deepEqual(await store.users.list(POOL, { field: 'status', op: '^=', value: 'X' }, 10), { users: [] });
  });

  test("a user's groups (read for every token) come from the user's memberships, not a walk of the pool's groups", async () => {
    const GROUPS = 3000;
    const name = (i: number): string => `group-${String(i).padStart(4, '0')}`;
    // Many groups in the pool, of which the user is in every hundredth: the bulk straight into the
    // table (one statement), the memberships through the store.
    await open.db
      .insertInto('groups')
      .values(
        Array.from({ length: GROUPS }, (_, i) => ({
          pool_id: POOL,
          name: name(i),
          description: null,
          role_arn: null,
          precedence: i,
          created_at: 0,
          updated_at: 0,
        })),
      )
      .execute();
    for (let i = 0; i < GROUPS; i += 100) await store.groups.addMember(POOL, name(i), 'user7');
    await sql`analyze`.execute(open.db);
    const mine = Array.from({ length: GROUPS / 100 }, (_, i) => name(i * 100));

    const first = await store.groups.groupsOf(POOL, 'user7', 10);
    const firstQuery = lastQuery!;
    assert.deepEqual(
      first.map((g) => g.name),
      mine.slice(0, 10),
    );
    const second = await store.groups.groupsOf(POOL, 'user7', 10, first.at(-1)!.name);
    const secondQuery = lastQuery!;
    assert.deepEqual(
      second.map((g) => g.name),
      mine.slice(10, 20),
    );
    assert.deepEqual(
      (await store.groups.groupsOf(POOL, 'user7')).map((g) => g.name),
      mine,
    );
    assert.deepEqual(await store.groups.groupsOf(POOL, 'user8'), []);

    if (engine.name === 'sqlite') {
      for (const query of [firstQuery, secondQuery]) {
        const plan = (await explain(open, query)).join('\n');
        // Memberships first, from the index that holds them in name order; each group by its key.
        assert.match(plan, /^SEARCH group_members USING COVERING INDEX group_members_user_group \(pool_id=\? AND username_key=\?/, plan);
        assert.match(plan, /SEARCH groups USING INDEX sqlite_autoindex_groups_1 \(pool_id=\? AND name=\?\)/, plan);
        assert.doesNotMatch(plan, /TEMP B-TREE|SCAN/, plan);
      }
    } else {
      for (const query of [firstQuery, secondQuery]) {
        const plan = (await explain(open, query)).join('\n');
        assert.match(plan, /group_members_user_group/, plan);
        assert.doesNotMatch(plan, /Seq Scan on groups/, plan);
      }
    }
  });

  test('signing keys: kids lists key IDs only, setStatus retires the named keys of that pool alone', async () => {
    const key = (poolId: string, kid: string) => ({
      kid,
      poolId,
      purpose: 'id' as const,
      privateKey: '-----BEGIN PRIVATE KEY-----\nnot-a-real-key\n-----END PRIVATE KEY-----\n',
      publicJwk: { kid },
      status: 'active' as const,
      createdAt: 1,
    });
    await store.signingKeys.insert(key(POOL, 'kid-a'));
    await store.signingKeys.insert(key(OTHER, 'kid-b'));
    assert.deepEqual(await store.signingKeys.kids(POOL), ['kid-a']);
    await store.signingKeys.setStatus(OTHER, ['kid-a', 'kid-b'], 'retired');
    await store.signingKeys.setStatus(POOL, [], 'retired');
    assert.equal((await store.signingKeys.list(POOL))[0]!.status, 'active');
    assert.equal((await store.signingKeys.list(OTHER))[0]!.status, 'retired');
  });
}

const sqliteEngine: Engine = {
  name: 'sqlite',
  async url() {
    const dir = mkdtempSync(join(tmpdir(), 'cognate-plans-'));
    return { url: `sqlite:${join(dir, 'plans.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

describe('ListUsers query plans on SQLite', () => defineSuite(sqliteEngine));

const pgUrl = testPostgresUrl();
if (pgUrl !== undefined) {
  describe('ListUsers query plans on PostgreSQL', () =>
    defineSuite({
      name: 'postgres',
      async url() {
        const schema = await createTestSchema(pgUrl);
        return { url: schema.url, drop: () => schema.drop() };
      },
    }));
} else if (runningInCi()) {
  test('ListUsers query plans on PostgreSQL', () => {
    assert.fail(`${TEST_PG_URL_VARIABLE} must be set in CI (.ci/run sets it)`);
  });
} else {
  test('ListUsers query plans on PostgreSQL', { skip: postgresSkipReason() }, () => {});
}
