import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { migrateTo, migrateToLatest } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import type { Store, TriggerInvocation, UserFilter, UserRecord, SearchableField } from '../../src/store/ports.js';
import { InvocationLog } from '../../src/triggers/invocation-log.js';
import { InvalidCursorError } from '../../src/store/sql/users.js';
import { withFreshStore, type StoreEngine, type StoreHarness } from './harness.js';
import {
  T0,
  byteOrder,
  client,
  clientId,
  code,
  group,
  pool,
  poolId,
  refreshToken,
  signingKey,
  tag,
  twoPools,
  user,
  walkUsers,
  isUniqueViolation,
} from './fixtures.js';

const silentLogger = pino({ level: 'silent' });

/** An index's name and its definition as the engine prints it. */
interface IndexText {
  name: string;
  text: string;
}

/** Tables the first migration creates with a pool_id; later migrations may add more (found by introspection). */
const SEEDED_POOL_TABLES = ['user_pool_clients', 'users', 'groups', 'group_members', 'codes', 'refresh_tokens', 'signing_keys', 'inbox'];

/**
 * The one store suite. Each engine's test file calls this inside its own `describe`, so SQLite and
 * PostgreSQL run exactly the same cases. Every case works in two pools seeded alike (same usernames,
 * group and client names) and checks that what it does in one never shows in the other.
 */
export function defineStoreSuite(engine: StoreEngine): void {
  let h: StoreHarness;
  let store: Store;
  withFreshStore(engine, (fresh) => {
    h = fresh;
    store = fresh.store;
  });

  async function rowsOf(table: string, pool: string): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where pool_id = ${pool}`.execute(
      h.open.db,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Every table with a pool_id column, whichever migration made it. */
  async function poolTables(): Promise<string[]> {
    const tables = await h.open.db.introspection.getTables();
    return [...new Set(tables.filter((t) => t.columns.some((c) => c.name === 'pool_id')).map((t) => t.name))].sort();
  }

  /** Every migration the code ships, by name, in order. */
  async function shippedMigrations(): Promise<string[]> {
    return Object.keys(await migrationProvider(h.open.dialect).getMigrations()).sort();
  }

  // ---------------------------------------------------------------- migrations

  test('migrateToLatest is idempotent: a second and third run change nothing', async () => {
    const applied = async (): Promise<string[]> =>
      (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(h.open.db)).rows.map((r) => r.name);
    const shipped = await shippedMigrations();
    assert.ok(shipped.includes('0001-initial'));
    assert.deepEqual(await applied(), shipped);
    await migrateToLatest(h.open);
    const second = h.reopen();
    try {
      await migrateToLatest(second);
    } finally {
      await second.close();
    }
    assert.deepEqual(await applied(), shipped);
  });

  test('a fresh database migrates while another one is already migrated alongside it', async () => {
    const other = await engine.fresh();
    try {
      await migrateToLatest(other.open);
      const id = poolId();
      await other.store.pools.create(pool(id, 'elsewhere'));
      assert.equal((await other.store.pools.get(id))?.name, 'elsewhere');
      assert.equal(await store.pools.get(id), undefined, 'the two databases share nothing');
    } finally {
      await other.close();
    }
  });

  // ---------------------------------------------------------------- pools

  test('pools: create, get and update touch one pool only', async () => {
    const { a, b } = await twoPools(store, 'same-name');
    const original = await store.pools.get(b);
    assert.deepEqual(await store.pools.get(a), { ...pool(a, 'same-name') });
    await store.pools.update({ ...pool(a, 'renamed'), config: { MfaConfiguration: 'OPTIONAL' }, updatedAt: T0 + 5 });
    const updated = await store.pools.get(a);
    assert.equal(updated?.name, 'renamed');
    assert.deepEqual(updated?.config, { MfaConfiguration: 'OPTIONAL' });
    assert.equal(updated?.createdAt, T0);
    assert.equal(updated?.updatedAt, T0 + 5);
    assert.deepEqual(await store.pools.get(b), original);
    assert.equal(await store.pools.get(poolId()), undefined);
    await assert.rejects(store.pools.create(pool(a, 'duplicate')), isUniqueViolation);
  });

  test('pools: list pages in id order with a limit and an after key', async () => {
    const fresh = await engine.fresh();
    try {
      const ids = Array.from({ length: 5 }, () => poolId()).sort(byteOrder);
      for (const id of [...ids].reverse()) await fresh.store.pools.create(pool(id, `p-${id}`));
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 10; page++) {
        const got = await fresh.store.pools.list(2, after);
        if (got.length === 0) break;
        assert.ok(got.length <= 2);
        seen.push(...got.map((p) => p.id));
        after = got[got.length - 1]!.id;
      }
      assert.deepEqual(seen, ids);
      assert.deepEqual(
        (await fresh.store.pools.list(60)).map((p) => p.name),
        ids.map((id) => `p-${id}`),
      );
    } finally {
      await fresh.close();
    }
  });

  test('pools: delete removes everything in the pool and nothing in the other', async () => {
    const { a, b } = await twoPools(store);
    const t = tag();
    const clients: Record<string, string> = { [a]: clientId(), [b]: clientId() };
    for (const p of [a, b]) {
      await store.clients.create(client(p, clients[p]!, 'web', ['s3cr3t']));
      assert.equal(await store.users.insert(user(p, 'alice', { email: 'alice@example.com' })), true);
      assert.equal(await store.groups.create(group(p, 'admins')), true);
      await store.groups.addMember(p, 'admins', 'alice');
      await store.codes.put(code(p, 'alice', 'signup'));
      await store.refreshTokens.insert(refreshToken(p, 'alice', `jti-${t}-${p}`));
      await store.signingKeys.insert(signingKey(p, 'id', T0));
      await store.inbox.add({
        poolId: p,
        username: 'alice',
        destination: 'a***@e***',
        medium: 'EMAIL',
        purpose: 'signup',
        code: '123456',
        subject: 's',
        message: 'm',
        createdAt: T0,
        expiresAt: T0 + 86_400_000,
      });
    }
    await store.settings.setIfAbsent(`keep-${t}`, 'global');
    await store.rateCounters.hit(`keep-${t}`, 60_000, T0);

    const tables = await poolTables();
    const kept: Record<string, number> = {};
    for (const table of SEEDED_POOL_TABLES) {
      assert.ok(tables.includes(table), `${table} has a pool_id`);
      assert.equal(await rowsOf(table, a), 1, `${table} is seeded`);
    }
    for (const table of tables) kept[table] = await rowsOf(table, b);

    await store.pools.delete(a);

    assert.equal(await store.pools.get(a), undefined);
    for (const table of tables) {
      assert.equal(await rowsOf(table, a), 0, `${table} still has rows of the deleted pool`);
      assert.equal(await rowsOf(table, b), kept[table], `${table} lost rows of the other pool`);
    }
    assert.equal(await store.clients.getById(clients[a]!), undefined);
    assert.equal((await store.clients.getById(clients[b]!))?.poolId, b);
    assert.equal((await store.users.get(b, 'alice'))?.attributes['email'], 'alice@example.com');
    assert.deepEqual(
      (await store.groups.members(b, 'admins', 10)).map((u) => u.username),
      ['alice'],
    );
    assert.equal(await store.settings.get(`keep-${t}`), 'global');
    assert.equal(await store.rateCounters.hit(`keep-${t}`, 60_000, T0), 2);
  });

  // ---------------------------------------------------------------- clients

  test('clients: same names in two pools, reads and writes stay in their pool', async () => {
    const { a, b } = await twoPools(store);
    const idsA = [clientId(), clientId(), clientId()].sort(byteOrder);
    const idB = clientId();
    for (const [i, id] of idsA.entries()) await store.clients.create(client(a, id, i === 0 ? 'web' : `app-${i}`));
    await store.clients.create(client(b, idB, 'web'));

    assert.equal((await store.clients.get(a, idsA[0]!))?.name, 'web');
    assert.equal(await store.clients.get(a, idB), undefined, 'a client is not found through another pool');
    assert.equal(await store.clients.get(b, idsA[0]!), undefined);

    const page1 = await store.clients.list(a, 2);
    const page2 = await store.clients.list(a, 2, page1[page1.length - 1]!.clientId);
    assert.deepEqual(
      [...page1, ...page2].map((c) => c.clientId),
      idsA,
    );
    assert.deepEqual(
      (await store.clients.list(b, 10)).map((c) => c.clientId),
      [idB],
    );

    const updated = { ...client(a, idsA[0]!, 'web-renamed', ['new-secret']), config: { RefreshTokenValidity: 5 }, updatedAt: T0 + 1 };
    await store.clients.update(updated);
    assert.deepEqual(await store.clients.get(a, idsA[0]!), updated);
    // An update naming the wrong pool changes nothing.
    await store.clients.update({ ...client(b, idsA[1]!, 'hijacked'), updatedAt: T0 + 2 });
    assert.equal((await store.clients.get(a, idsA[1]!))?.name, 'app-1');
    assert.deepEqual(await store.clients.get(b, idB), client(b, idB, 'web'));

    await store.clients.delete(b, idsA[2]!);
    assert.ok(await store.clients.get(a, idsA[2]!), 'a delete naming the wrong pool is a no-op');
    await store.clients.delete(a, idsA[2]!);
    assert.equal(await store.clients.get(a, idsA[2]!), undefined);
    assert.ok(await store.clients.get(b, idB));
  });

  test('clients: secrets are sealed at rest and getById finds the client in any pool', async () => {
    const { a, b } = await twoPools(store);
    const secret = `clear-${randomUUID()}`;
    const idA = clientId();
    const idB = clientId();
    const plain = clientId();
    await store.clients.create(client(a, idA, 'web', [secret, `${secret}-second`]));
    await store.clients.create(client(b, idB, 'web', [secret]));
    await store.clients.create(client(a, plain, 'public'));

    const raw = await h.open.db.selectFrom('user_pool_clients').selectAll().where('client_id', 'in', [idA, idB, plain]).execute();
    assert.equal(raw.length, 3);
    for (const row of raw) {
      assert.ok(!JSON.stringify(row).includes(secret), 'the clear secret is not in the stored row');
      if (row.client_id === plain) assert.equal(row.secrets, null);
      else assert.match(row.secrets ?? '', /^v1\./);
    }

    const got = await store.clients.getById(idA);
    assert.equal(got?.poolId, a);
    assert.deepEqual(
      got?.secrets.map((s) => s.secret),
      [secret, `${secret}-second`],
    );
    assert.equal((await store.clients.getById(idB))?.poolId, b);
    assert.deepEqual((await store.clients.getById(plain))?.secrets, []);
    assert.equal(await store.clients.getById(clientId()), undefined);

    // A sealed value is bound to its client: copied onto another client's row it does not open.
    const sealedA = raw.find((r) => r.client_id === idA)!.secrets;
    await h.open.db.updateTable('user_pool_clients').set({ secrets: sealedA }).where('client_id', '=', idB).execute();
    await assert.rejects(store.clients.get(b, idB), /fail to open/);
    await store.clients.delete(b, idB);
  });

  // ---------------------------------------------------------------- users

  test('users: insert reports a taken username key, per pool', async () => {
    const { a, b } = await twoPools(store);
    const first = user(a, 'alice', { email: 'first@example.com' });
    assert.equal(await store.users.insert(first), true);
    assert.equal(await store.users.insert(user(a, 'Alice', { email: 'second@example.com' })), false, 'same key, same pool');
    assert.deepEqual(await store.users.get(a, 'alice'), first, 'the first user is untouched');
    assert.equal(await store.users.insert(user(b, 'alice', { email: 'other@example.com' })), true, 'same key, other pool');
    assert.equal((await store.users.get(b, 'alice'))?.attributes['email'], 'other@example.com');
    assert.equal(await store.users.count(a), 1);
    assert.equal(await store.users.count(b), 1);
  });

  test('users: takenUsernameKeys names the keys the pool holds, over more keys than one query lists', async () => {
    const { a, b } = await twoPools(store);
    await store.users.insertMany([user(a, 'alice'), user(a, 'carol'), user(b, 'bob')]);
    const asked = [...Array.from({ length: 2500 }, (_, i) => `nobody${i}`), 'alice', 'bob', 'carol'];
    assert.deepEqual([...(await store.users.takenUsernameKeys(a, asked))].sort(), ['alice', 'carol']);
    assert.deepEqual([...(await store.users.takenUsernameKeys(b, asked))], ['bob']);
    assert.equal((await store.users.takenUsernameKeys(a, [])).size, 0);
  });

  test('users: get and getBySub round-trip every field within one pool', async () => {
    const { a, b } = await twoPools(store);
    const ua = user(
      a,
      'alice',
      { email: 'alice@example.com', email_verified: 'true', 'custom:tier': 'gold' },
      {
        status: 'FORCE_CHANGE_PASSWORD',
        enabled: false,
        passwordHash: null,
        passwordChangedAt: null,
        tokensValidAfter: T0 + 9,
        extra: { mfa: { preferred: 'SOFTWARE_TOKEN_MFA', enabled: ['SOFTWARE_TOKEN_MFA'] }, pending: { email: 'new@example.com' } },
        updatedAt: T0 + 1,
      },
    );
    const ub = user(b, 'alice', { email: 'alice@example.com' });
    await store.users.insert(ua);
    await store.users.insert(ub);
    assert.deepEqual(await store.users.get(a, 'alice'), ua);
    assert.deepEqual(await store.users.get(b, 'alice'), ub);
    assert.deepEqual(await store.users.getBySub(a, ua.sub), ua);
    assert.equal(await store.users.getBySub(a, ub.sub), undefined, "another pool's sub is not found");
    assert.equal(await store.users.getBySub(b, ua.sub), undefined);
    assert.equal(await store.users.get(a, 'nobody'), undefined);
  });

  test('users: findByAttribute matches aliases in one pool, verifiedOnly for email and phone', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) {
      await store.users.insert(
        user(p, 'v', {
          email: 'Shared@Example.com',
          email_verified: 'true',
          phone_number: '+15550100',
          phone_number_verified: 'true',
          preferred_username: 'Ace',
        }),
      );
      await store.users.insert(user(p, 'u', { email: 'shared@example.com', email_verified: 'false', phone_number: '+15550100' }));
    }
    await store.users.insert(user(b, 'w', { email: 'shared@example.com', email_verified: 'true' }));

    const names = (users: UserRecord[]): string[] => users.map((u) => `${u.poolId === a ? 'A' : 'B'}:${u.username}`);
    assert.deepEqual(names(await store.users.findByAttribute(a, 'email', 'SHARED@example.COM', false)), ['A:u', 'A:v']);
    assert.deepEqual(names(await store.users.findByAttribute(a, 'email', 'shared@example.com', true)), ['A:v']);
    assert.deepEqual(names(await store.users.findByAttribute(b, 'email', 'shared@example.com', true)), ['B:v', 'B:w']);
    assert.deepEqual(names(await store.users.findByAttribute(a, 'phone_number', '+15550100', false)), ['A:u', 'A:v']);
    assert.deepEqual(names(await store.users.findByAttribute(a, 'phone_number', '+15550100', true)), ['A:v']);
    assert.deepEqual(names(await store.users.findByAttribute(a, 'preferred_username', 'ACE', true)), ['A:v']);
    assert.deepEqual(await store.users.findByAttribute(a, 'email', 'nobody@example.com', false), []);
  });

  test('users: update keeps the searchable columns in step with the attributes', async () => {
    const { a, b } = await twoPools(store);
    const attributes = {
      email: 'Alice@Example.com',
      email_verified: 'true',
      given_name: 'Alice',
      phone_number: '+15550199',
      phone_number_verified: 'true',
    };
    for (const p of [a, b]) await store.users.insert(user(p, 'alice', attributes));
    const beforeB = await store.users.get(b, 'alice');
    const current = (await store.users.get(a, 'alice'))!;

    const changed: UserRecord = {
      ...current,
      attributes: {
        sub: current.sub,
        email: 'Alice.New@Example.com',
        email_verified: 'false',
        preferred_username: 'Ally',
        name: 'Alice Liddell',
      },
      status: 'RESET_REQUIRED',
      enabled: false,
      updatedAt: T0 + 10,
    };
    await store.users.update(changed);
    assert.deepEqual(await store.users.get(a, 'alice'), changed);

    const row = await h.open.db
      .selectFrom('users')
      .selectAll()
      .where('pool_id', '=', a)
      .where('username_key', '=', 'alice')
      .executeTakeFirstOrThrow();
    assert.equal(row.email_key, 'alice.new@example.com');
    assert.equal(row.email_verified, 0);
    assert.equal(row.phone_number, null);
    assert.equal(row.phone_verified, 0);
    assert.equal(row.given_name_key, null);
    assert.equal(row.preferred_username_key, 'ally');
    assert.equal(row.name_key, 'alice liddell');
    assert.equal(row.status, 'RESET_REQUIRED');
    assert.equal(row.enabled, 0);
    assert.equal(row.created_at, T0, 'update never moves the creation date');

    assert.deepEqual(await store.users.findByAttribute(a, 'email', 'alice@example.com', false), []);
    assert.deepEqual(
      (await store.users.findByAttribute(a, 'email', 'alice.new@example.com', false)).map((u) => u.username),
      ['alice'],
    );
    assert.deepEqual(await store.users.findByAttribute(a, 'email', 'alice.new@example.com', true), []);
    assert.deepEqual(await store.users.findByAttribute(a, 'phone_number', '+15550199', false), []);
    assert.deepEqual((await store.users.list(a, { field: 'given_name', op: '=', value: 'alice' }, 10)).users, []);
    assert.deepEqual(
      (await store.users.list(a, { field: 'preferred_username', op: '=', value: 'ally' }, 10)).users.map((u) => u.username),
      ['alice'],
    );
    assert.deepEqual(
      (await store.users.list(a, { field: 'status', op: '=', value: 'Disabled' }, 10)).users.map((u) => u.username),
      ['alice'],
    );

    assert.deepEqual(await store.users.get(b, 'alice'), beforeB, 'the same user in the other pool is untouched');
    assert.deepEqual(
      (await store.users.findByAttribute(b, 'email', 'alice@example.com', true)).map((u) => u.poolId),
      [b],
    );
    // An update addressed to a pool that lacks the user writes nothing there.
    const ghost = user(b, 'ghost');
    await store.users.update({ ...ghost, poolId: a });
    assert.equal(await store.users.get(a, 'ghost'), undefined);
  });

  test('users: updateExtra writes the extra of one user and nothing else', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) await store.users.insert(user(p, 'alice', { email: 'alice@example.com', email_verified: 'true' }));
    const stored = (await store.users.get(a, 'alice'))!;
    const beforeB = await store.users.get(b, 'alice');

    // Fields other than extra differ in the record given; the store keeps them as they were.
    const given: UserRecord = {
      ...stored,
      attributes: { ...stored.attributes, email: 'other@example.com' },
      status: 'RESET_REQUIRED',
      updatedAt: T0 + 5,
      extra: { ...stored.extra, mfa: { totpLastStep: 42 } },
    };
    await store.users.updateExtra(given);
    assert.deepEqual(await store.users.get(a, 'alice'), { ...stored, extra: given.extra });
    assert.deepEqual(await store.users.get(b, 'alice'), beforeB, 'the same username in another pool is untouched');
  });

  test('users: spendTotpStep writes the extra only past the stored step, once for racing writers', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) await store.users.insert(user(p, 'alice'));
    const stored = (await store.users.get(a, 'alice'))!;
    const beforeB = await store.users.get(b, 'alice');
    const atStep = (step: number): UserRecord => ({
      ...stored,
      extra: { ...stored.extra, mfa: { totpName: 'Phone', totpLastStep: step } },
    });

    assert.equal(await store.users.spendTotpStep(atStep(100)), true, 'no step spent yet');
    assert.deepEqual(await store.users.get(a, 'alice'), atStep(100));
    assert.equal(await store.users.spendTotpStep(atStep(100)), false, 'the same step again');
    assert.equal(await store.users.spendTotpStep(atStep(99)), false, 'an earlier step');
    assert.deepEqual(await store.users.get(a, 'alice'), atStep(100), 'a refused write changes nothing');
    const racing = await Promise.all(Array.from({ length: 5 }, () => store.users.spendTotpStep(atStep(101))));
    assert.deepEqual(
      racing.filter((wrote) => wrote),
      [true],
      'of writers racing with one step, exactly one writes',
    );
    assert.deepEqual(await store.users.get(a, 'alice'), atStep(101));
    assert.deepEqual(await store.users.get(b, 'alice'), beforeB, 'the same username in another pool is untouched');
  });

  test('users: delete removes the user, its memberships and codes in one pool only', async () => {
    const { a, b } = await twoPools(store);
    const subs: Record<string, string> = {};
    for (const p of [a, b]) {
      const u = user(p, 'alice');
      subs[p] = u.sub;
      await store.users.insert(u);
      await store.users.insert(user(p, 'bob'));
      await store.groups.create(group(p, 'admins'));
      await store.groups.addMember(p, 'admins', 'alice');
      await store.groups.addMember(p, 'admins', 'bob');
      await store.codes.put(code(p, 'alice', 'signup'));
    }
    await store.users.delete(a, 'alice');

    assert.equal(await store.users.get(a, 'alice'), undefined);
    assert.equal(await store.users.getBySub(a, subs[a]!), undefined);
    assert.equal(await store.codes.get(a, 'alice', 'signup'), undefined);
    assert.deepEqual(
      (await store.groups.members(a, 'admins', 10)).map((u) => u.username),
      ['bob'],
    );
    assert.deepEqual(await store.groups.groupsOf(a, 'alice'), []);
    assert.equal(await store.users.count(a), 1);

    assert.equal((await store.users.getBySub(b, subs[b]!))?.username, 'alice');
    assert.ok(await store.codes.get(b, 'alice', 'signup'));
    assert.deepEqual(
      (await store.groups.members(b, 'admins', 10)).map((u) => u.username),
      ['alice', 'bob'],
    );
    assert.equal(await store.users.count(b), 2);
    await store.users.delete(a, 'nobody');
  });

  /**
   * The ListUsers data set, seeded alike into both pools; the second pool also gets `aldo`, who
   * matches nearly every filter, so a leak shows up as an extra name.
   */
  const SUB = (n: number): string => `5a5e0000-0000-4000-8000-00000000000${n}`;
  function listingSeed(p: string, extra: boolean): UserRecord[] {
    const users = [
      user(
        p,
        'alice',
        {
          email: 'Alice@Example.com',
          phone_number: '+15550001',
          name: 'Ally Smith',
          given_name: 'Alice',
          family_name: 'Smith',
          preferred_username: 'Ali',
        },
        { sub: SUB(3) },
      ),
      user(
        p,
        'albert',
        {
          email: 'albert@example.com',
          phone_number: '+15550002',
          name: 'Alfa Stone',
          given_name: 'Albert',
          family_name: 'Stone',
          preferred_username: 'Al',
        },
        { sub: SUB(1), status: 'UNCONFIRMED' },
      ),
      user(
        p,
        'alina',
        {
          email: 'alina@sample.org',
          phone_number: '+15551003',
          name: 'Alina Smart',
          given_name: 'Alina',
          family_name: 'Smart',
          preferred_username: 'AlinaP',
        },
        { sub: SUB(5), enabled: false },
      ),
      user(
        p,
        'bob',
        {
          email: 'bob@example.com',
          phone_number: '+15550004',
          name: 'Bob Smith',
          given_name: 'Bob',
          family_name: 'Smith',
          preferred_username: 'bobby',
        },
        { sub: SUB(2) },
      ),
      user(
        p,
        'alfred',
        {
          email: 'alfred@example.com',
          phone_number: '+15550005',
          name: 'Al Smithers',
          given_name: 'Alfred',
          family_name: 'Smithers',
          preferred_username: 'alf',
        },
        { sub: SUB(4), status: 'FORCE_CHANGE_PASSWORD', enabled: false },
      ),
      user(p, 'carol', { name: 'Carol', family_name: 'Smith' }, { sub: SUB(6), status: 'RESET_REQUIRED' }),
    ];
    if (extra) {
      users.push(
        user(
          p,
          'aldo',
          {
            email: 'aldo@example.com',
            phone_number: '+15550003',
            name: 'Al Aldo',
            given_name: 'Aldo',
            family_name: 'Smith',
            preferred_username: 'aldo',
          },
          { sub: SUB(7) },
        ),
      );
    }
    return users;
  }

  const LISTINGS: ReadonlyArray<[SearchableField, '=' | '^=', string, string[]]> = [
    ['username', '=', 'alice', ['alice']],
    ['username', '^=', 'al', ['albert', 'alfred', 'alice', 'alina']],
    ['email', '=', 'alice@example.com', ['alice']],
    ['email', '^=', 'al', ['albert', 'alfred', 'alice', 'alina']],
    ['email', '^=', 'bob@example.com', ['bob']],
    ['phone_number', '=', '+15550002', ['albert']],
    ['phone_number', '^=', '+1555000', ['alice', 'albert', 'bob', 'alfred']],
    ['name', '=', 'bob smith', ['bob']],
    // Ordered by the name, not the username.
    ['name', '^=', 'al', ['alfred', 'albert', 'alina', 'alice']],
    ['given_name', '=', 'bob', ['bob']],
    ['given_name', '^=', 'ali', ['alice', 'alina']],
    // Equal values span a page boundary: the cursor carries the username key as tie-break.
    ['family_name', '=', 'smith', ['alice', 'bob', 'carol']],
    ['family_name', '^=', 'smith', ['alice', 'bob', 'carol', 'alfred']],
    ['preferred_username', '=', 'al', ['albert']],
    ['preferred_username', '^=', 'al', ['albert', 'alfred', 'alice', 'alina']],
    ['cognito:user_status', '=', 'CONFIRMED', ['alice', 'alina', 'bob']],
    ['cognito:user_status', '^=', 'UN', ['albert']],
    ['cognito:user_status', '^=', 'RESET', ['carol']],
    ['status', '=', 'Enabled', ['albert', 'alice', 'bob', 'carol']],
    ['status', '=', 'Disabled', ['alfred', 'alina']],
    ['status', '^=', 'Dis', ['alfred', 'alina']],
    ['status', '^=', 'En', ['albert', 'alice', 'bob', 'carol']],
    // Disabled (0) sorts before Enabled (1); pages cross from one to the other.
    ['status', '^=', '', ['alfred', 'alina', 'albert', 'alice', 'bob', 'carol']],
    ['status', '=', 'enabled', []],
    ['sub', '=', SUB(4), ['alfred']],
    ['sub', '^=', '5a5e0000-0000-4000-8000-', ['albert', 'bob', 'alice', 'alfred', 'alina', 'carol']],
    ['email', '=', 'nobody@example.com', []],
  ];

  test('users: list pages every filter (= and ^=) with limit 2 and a cursor, in one pool', async () => {
    const { a, b } = await twoPools(store);
    for (const u of listingSeed(a, false)) assert.equal(await store.users.insert(u), true);
    for (const u of listingSeed(b, true)) assert.equal(await store.users.insert(u), true);

    const all = await walkUsers(store, a, undefined, 2);
    assert.deepEqual(all.usernames, ['albert', 'alfred', 'alice', 'alina', 'bob', 'carol']);
    assert.equal(all.pages, 3);
    assert.deepEqual([...all.pools], [a]);
    assert.equal((await walkUsers(store, b, undefined, 2)).usernames.length, 7);

    for (const [field, op, value, expected] of LISTINGS) {
      const filter: UserFilter = { field, op, value };
      const label = `${field} ${op} "${value}"`;
      const walk = await walkUsers(store, a, filter, 2);
      assert.deepEqual(walk.usernames, expected, label);
      assert.ok(walk.pools.size === 0 || (walk.pools.size === 1 && walk.pools.has(a)), `${label}: users of one pool only`);
      assert.equal(walk.pages, Math.max(1, Math.ceil(expected.length / 2)), `${label}: page count`);
      const oneShot = await store.users.list(a, filter, 60);
      assert.deepEqual(
        oneShot.users.map((u) => u.username),
        expected,
        `${label}: one page gives the same order`,
      );
      assert.equal(oneShot.next, undefined);
      const inB = await walkUsers(store, b, filter, 2);
      assert.ok(inB.pools.size === 0 || (inB.pools.size === 1 && inB.pools.has(b)), `${label}: the other pool lists its own`);
      assert.ok(inB.usernames.length >= expected.length, `${label}: the other pool has its own copies`);
    }
  });

  test('users: a cursor that is not one of ours is refused', async () => {
    const { a } = await twoPools(store);
    await assert.rejects(store.users.list(a, undefined, 2, '%%%not-base64%%%'), InvalidCursorError);
    await assert.rejects(store.users.list(a, undefined, 2, Buffer.from('{"a":1}').toString('base64url')), InvalidCursorError);
  });

  test('users: case handling of keys, emails and names', async () => {
    const { a, b } = await twoPools(store);
    // Case-sensitive pool: the key is the username as given, so Erin and erin are two users.
    assert.equal(await store.users.insert(user(a, 'Erin', {}, { usernameKey: 'Erin' })), true);
    assert.equal(await store.users.insert(user(a, 'erin', {}, { usernameKey: 'erin' })), true);
    assert.equal((await store.users.get(a, 'Erin'))?.username, 'Erin');
    assert.equal((await store.users.get(a, 'erin'))?.username, 'erin');
    assert.equal(await store.users.get(a, 'ERIN'), undefined);
    assert.deepEqual((await walkUsers(store, a, { field: 'username', op: '^=', value: 'E' }, 2)).usernames, ['Erin']);
    assert.deepEqual((await walkUsers(store, a, { field: 'username', op: '^=', value: 'e' }, 2)).usernames, ['erin']);
    // Case-insensitive pool: the key is lowercased, the username keeps its case.
    assert.equal(await store.users.insert(user(b, 'Erin')), true);
    assert.equal(await store.users.insert(user(b, 'ERIN')), false);
    assert.equal((await store.users.get(b, 'erin'))?.username, 'Erin');

    await store.users.insert(user(a, 'frank', { email: 'Frank.Jones@Example.COM', name: 'ÉMILE Zola', given_name: 'Ärger' }));
    assert.equal((await store.users.get(a, 'frank'))?.attributes['email'], 'Frank.Jones@Example.COM', 'attributes keep their case');
    for (const filter of [
      { field: 'email', op: '=', value: 'frank.jones@example.com' },
      { field: 'email', op: '^=', value: 'frank.' },
      { field: 'name', op: '^=', value: 'émile' },
      { field: 'given_name', op: '=', value: 'ärger' },
    ] satisfies UserFilter[]) {
      assert.deepEqual((await walkUsers(store, a, filter, 2)).usernames, ['frank'], `${filter.field} ${filter.op} ${filter.value}`);
      assert.deepEqual((await walkUsers(store, b, filter, 2)).usernames, [], 'nothing from the other pool');
    }
    assert.deepEqual((await walkUsers(store, a, { field: 'name', op: '^=', value: 'emile' }, 2)).usernames, [], 'no accent folding');
    assert.deepEqual(
      (await walkUsers(store, a, { field: 'email', op: '^=', value: 'Frank' }, 2)).usernames,
      [],
      'values arrive normalised',
    );
  });

  test('users: unicode prefixes and keyset pages follow code point (UTF-8 byte) order', async () => {
    const { a, b } = await twoPools(store);
    const names = ['Zoë', 'Zoe', 'Zoé', 'Zoó', 'Zz', 'z😀', 'zＡ', 'z', '日本太郎', '日本花子', '日本', '😀Grin', 'Ω'];
    for (const p of [a, b]) {
      for (const [i, given] of names.entries()) await store.users.insert(user(p, `u${String(i).padStart(2, '0')}`, { given_name: given }));
    }
    await store.users.insert(user(b, 'u99', { given_name: 'Zoe' }));

    const expect = (prefix: string, exact = false): string[] =>
      names
        .map((given, i) => ({ key: given.toLowerCase(), username: `u${String(i).padStart(2, '0')}` }))
        .filter((u) => (exact ? u.key === prefix : u.key.startsWith(prefix)))
        .sort((x, y) => byteOrder(x.key, y.key) || byteOrder(x.username, y.username))
        .map((u) => u.username);

    const cases: Array<[string, '=' | '^=', string[]]> = [
      // zoe < zoé < zoë < zoó < zz < zＡ (U+FF21) < z😀 (U+1F600): UTF-16 order would swap the last two.
      ['z', '^=', ['u07', 'u01', 'u02', 'u00', 'u03', 'u04', 'u06', 'u05']],
      ['zo', '^=', ['u01', 'u02', 'u00', 'u03']],
      ['zoë', '=', ['u00']],
      ['zoë', '^=', ['u00']],
      ['日本', '^=', ['u10', 'u08', 'u09']],
      ['日本', '=', ['u10']],
      ['😀', '^=', ['u11']],
      ['z😀', '^=', ['u05']],
      ['ω', '=', ['u12']],
    ];
    for (const [value, op, expected] of cases) {
      assert.deepEqual(expected, expect(value, op === '='), `fixture check for ${op} ${value}`);
      const walk = await walkUsers(store, a, { field: 'given_name', op, value }, 2);
      assert.deepEqual(walk.usernames, expected, `given_name ${op} "${value}"`);
      assert.ok(walk.pools.size <= 1 && (walk.pools.size === 0 || walk.pools.has(a)));
    }
    assert.deepEqual((await walkUsers(store, b, { field: 'given_name', op: '^=', value: 'zo' }, 2)).usernames, [
      'u01',
      'u99',
      'u02',
      'u00',
      'u03',
    ]);
  });

  test('users: count is per pool', async () => {
    const { a, b } = await twoPools(store);
    assert.equal(await store.users.count(a), 0);
    for (const name of ['a', 'b', 'c']) await store.users.insert(user(a, name));
    for (const name of ['a', 'b', 'c', 'd']) await store.users.insert(user(b, name));
    assert.equal(await store.users.count(a), 3);
    assert.equal(await store.users.count(b), 4);
    await store.users.delete(a, 'a');
    assert.equal(await store.users.count(a), 2);
    assert.equal(await store.users.count(b), 4);
  });

  // ---------------------------------------------------------------- groups

  test('groups: create, get, update, list pages and delete in one pool', async () => {
    const { a, b } = await twoPools(store);
    const names = ['admins', 'beta', 'dev', 'ops', 'zeta'];
    for (const p of [a, b]) {
      for (const name of names) assert.equal(await store.groups.create(group(p, name)), true);
    }
    assert.equal(await store.groups.create(group(b, 'extra')), true);
    assert.equal(await store.groups.create(group(a, 'admins', { description: 'again' })), false, 'a taken name');
    assert.equal((await store.groups.get(a, 'admins'))?.description, 'admins group');

    const changed = group(a, 'admins', {
      description: 'changed',
      roleArn: 'arn:aws:iam::000000000000:role/admin',
      precedence: 3,
      updatedAt: T0 + 1,
    });
    await store.groups.update(changed);
    assert.deepEqual(await store.groups.get(a, 'admins'), changed);
    assert.deepEqual(await store.groups.get(b, 'admins'), group(b, 'admins'));

    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await store.groups.list(a, 2, after);
      if (page.length === 0) break;
      assert.ok(page.every((g) => g.poolId === a));
      seen.push(...page.map((g) => g.name));
      after = page[page.length - 1]!.name;
    }
    assert.deepEqual(seen, names);
    assert.equal((await store.groups.list(b, 60)).length, 6);

    for (const p of [a, b]) {
      await store.users.insert(user(p, 'alice'));
      await store.groups.addMember(p, 'admins', 'alice');
    }
    await store.groups.delete(a, 'admins');
    assert.equal(await store.groups.get(a, 'admins'), undefined);
    assert.deepEqual(await store.groups.groupsOf(a, 'alice'), []);
    assert.equal(
      (await h.open.db.selectFrom('group_members').selectAll().where('pool_id', '=', a).execute()).length,
      0,
      'memberships go with the group',
    );
    assert.deepEqual(
      (await store.groups.members(b, 'admins', 10)).map((u) => u.username),
      ['alice'],
    );
  });

  test('groups: members and groupsOf, ordered and paged, in one pool', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) {
      for (const name of ['carol', 'alice', 'bob']) await store.users.insert(user(p, name));
      for (const name of ['dev', 'admins', 'ops']) await store.groups.create(group(p, name));
    }
    for (const name of ['carol', 'alice', 'bob']) await store.groups.addMember(a, 'admins', name);
    await store.groups.addMember(a, 'admins', 'alice');
    await store.groups.addMember(a, 'ops', 'alice');
    await store.groups.addMember(a, 'dev', 'alice');
    await store.groups.addMember(b, 'admins', 'bob');

    const first = await store.groups.members(a, 'admins', 2);
    assert.deepEqual(
      first.map((u) => u.username),
      ['alice', 'bob'],
    );
    assert.ok(first.every((u) => u.poolId === a));
    assert.deepEqual(
      (await store.groups.members(a, 'admins', 2, 'bob')).map((u) => u.username),
      ['carol'],
    );
    const inB = await store.groups.members(b, 'admins', 10);
    assert.deepEqual(
      inB.map((u) => `${u.poolId === b ? 'B' : 'A'}:${u.username}`),
      ['B:bob'],
    );

    assert.deepEqual(
      (await store.groups.groupsOf(a, 'alice')).map((g) => g.name),
      ['admins', 'dev', 'ops'],
    );
    assert.deepEqual(
      (await store.groups.groupsOf(a, 'alice', 2)).map((g) => g.name),
      ['admins', 'dev'],
    );
    assert.deepEqual(
      (await store.groups.groupsOf(a, 'alice', 2, 'dev')).map((g) => g.name),
      ['ops'],
    );
    assert.deepEqual(await store.groups.groupsOf(b, 'alice'), []);
    assert.deepEqual(
      (await store.groups.groupsOf(b, 'bob')).map((g) => [g.poolId, g.name]),
      [[b, 'admins']],
    );

    await store.groups.removeMember(a, 'admins', 'bob');
    await store.groups.removeMember(a, 'admins', 'nobody');
    assert.deepEqual(
      (await store.groups.members(a, 'admins', 10)).map((u) => u.username),
      ['alice', 'carol'],
    );
    assert.deepEqual(
      (await store.groups.members(b, 'admins', 10)).map((u) => u.username),
      ['bob'],
    );
  });

  // ---------------------------------------------------------------- codes

  test('codes: put replaces the same purpose, attempts count, delete, per pool', async () => {
    const { a, b } = await twoPools(store);
    const first = code(a, 'alice', 'signup');
    const inB = code(b, 'alice', 'signup');
    await store.codes.put(inB);
    await store.codes.put(first);
    const second = code(a, 'alice', 'signup', { expiresAt: T0 + 7 });
    await store.codes.put(second);
    const forgot = code(a, 'alice', 'forgot-password');
    await store.codes.put(forgot);
    const verify = code(a, 'alice', 'verify:email');
    await store.codes.put(verify);

    assert.deepEqual(await store.codes.get(a, 'alice', 'signup'), second);
    assert.equal(
      (await h.open.db.selectFrom('codes').select('id').where('id', '=', first.id).execute()).length,
      0,
      'the replaced code is gone',
    );
    assert.deepEqual(await store.codes.get(a, 'alice', 'forgot-password'), forgot);
    assert.deepEqual(await store.codes.get(a, 'alice', 'verify:email'), verify);
    assert.equal(await store.codes.get(a, 'alice', 'verify:phone_number'), undefined);
    assert.deepEqual(await store.codes.get(b, 'alice', 'signup'), inB, 'a put in one pool keeps the other pool’s code');

    assert.equal(await store.codes.reserveAttempt(second.id, 2), true);
    assert.equal(await store.codes.reserveAttempt(second.id, 2), true);
    assert.equal(await store.codes.reserveAttempt(second.id, 2), false, 'no third attempt under a limit of two');
    assert.equal((await store.codes.get(a, 'alice', 'signup'))?.attempts, 2);
    assert.equal((await store.codes.get(b, 'alice', 'signup'))?.attempts, 0);
    assert.equal((await store.codes.get(a, 'alice', 'forgot-password'))?.attempts, 0);

    assert.equal(await store.codes.delete(second.id), true);
    assert.equal(await store.codes.delete(second.id), false, 'a second delete finds it gone');
    assert.equal(await store.codes.reserveAttempt(second.id, 5), false, 'a deleted code takes no attempt');
    assert.equal(await store.codes.get(a, 'alice', 'signup'), undefined);
    assert.ok(await store.codes.get(a, 'alice', 'forgot-password'));

    await store.codes.deleteForUser(a, 'alice');
    assert.equal(await store.codes.get(a, 'alice', 'forgot-password'), undefined);
    assert.equal(await store.codes.get(a, 'alice', 'verify:email'), undefined);
    assert.deepEqual(await store.codes.get(b, 'alice', 'signup'), inB);
  });

  // ---------------------------------------------------------------- refresh tokens

  test('refresh tokens: markReplaced succeeds once, revocation by family and by user', async () => {
    const { a, b } = await twoPools(store);
    const t = tag();
    const fam1 = `f1-${t}`;
    const fam2 = `f2-${t}`;
    const famB = `fb-${t}`;
    const t1 = refreshToken(a, 'alice', fam1, { deviceKey: 'us-east-1_device', scopes: ['openid'] });
    const t2 = refreshToken(a, 'alice', fam1);
    const t3 = refreshToken(a, 'alice', fam2);
    const other = refreshToken(a, 'bob', `fo-${t}`);
    const tb = refreshToken(b, 'alice', famB);
    for (const token of [t1, t2, t3, other, tb]) await store.refreshTokens.insert(token);
    assert.deepEqual(await store.refreshTokens.get(t1.tokenHash), t1);
    assert.equal(await store.refreshTokens.get('no-such-hash'), undefined);

    assert.equal(await store.refreshTokens.markReplaced(t1.tokenHash, T0 + 1), true);
    assert.equal(await store.refreshTokens.markReplaced(t1.tokenHash, T0 + 2), false, 'a second rotation is reuse');
    assert.equal((await store.refreshTokens.get(t1.tokenHash))?.replacedAt, T0 + 1);
    assert.equal(await store.refreshTokens.markReplaced('no-such-hash', T0), false);

    assert.equal(await store.refreshTokens.isFamilyRevoked(fam1), false);
    await store.refreshTokens.revokeFamily(fam1, T0 + 3);
    await store.refreshTokens.revokeFamily(fam1, T0 + 4);
    assert.equal(await store.refreshTokens.isFamilyRevoked(fam1), true);
    assert.equal((await store.refreshTokens.get(t1.tokenHash))?.revokedAt, T0 + 3, 'the first revocation time stays');
    assert.equal((await store.refreshTokens.get(t2.tokenHash))?.revokedAt, T0 + 3);
    assert.equal((await store.refreshTokens.get(t3.tokenHash))?.revokedAt, null);
    assert.equal(await store.refreshTokens.isFamilyRevoked(fam2), false);
    assert.equal(await store.refreshTokens.isFamilyRevoked(`unknown-${t}`), false);

    await store.refreshTokens.revokeAllForUser(a, 'alice', T0 + 5);
    assert.equal((await store.refreshTokens.get(t3.tokenHash))?.revokedAt, T0 + 5);
    assert.equal((await store.refreshTokens.get(t2.tokenHash))?.revokedAt, T0 + 3);
    assert.equal(await store.refreshTokens.isFamilyRevoked(fam2), true);
    assert.equal((await store.refreshTokens.get(other.tokenHash))?.revokedAt, null, 'another user keeps tokens');
    assert.deepEqual(await store.refreshTokens.get(tb.tokenHash), tb, 'the same username in the other pool keeps tokens');
    assert.equal(await store.refreshTokens.isFamilyRevoked(famB), false);

    // The access-token read: the user and the family's state in one query.
    await store.users.insert(user(a, 'alice', {}));
    const signedIn = await store.users.getSignedIn(a, 'alice', fam1);
    assert.deepEqual(signedIn, { user: await store.users.get(a, 'alice'), familyRevoked: true });
    assert.equal((await store.users.getSignedIn(a, 'alice', famB))?.familyRevoked, false, 'a family with no revoked token');
    assert.equal((await store.users.getSignedIn(a, 'alice', `unknown-${t}`))?.familyRevoked, false);
    assert.equal(await store.users.getSignedIn(a, 'nobody', fam1), undefined);

    await store.refreshTokens.deleteForUser(a, 'alice');
    assert.equal(await store.refreshTokens.get(t1.tokenHash), undefined);
    assert.equal(await store.refreshTokens.get(t3.tokenHash), undefined);
    assert.ok(await store.refreshTokens.get(other.tokenHash));
    assert.ok(await store.refreshTokens.get(tb.tokenHash));
  });

  // ---------------------------------------------------------------- signing keys

  test('signing keys: the private key is sealed at rest, lists are per pool', async () => {
    const { a, b } = await twoPools(store);
    const idKey = signingKey(a, 'id', T0 + 1);
    const accessKey = signingKey(a, 'access', T0 + 2, { status: 'retired' });
    const keyB = signingKey(b, 'id', T0);
    await store.signingKeys.insert(accessKey);
    await store.signingKeys.insert(idKey);
    await store.signingKeys.insert(keyB);

    const pemBody = idKey.privateKey.split('\n')[1]!;
    const raw = await h.open.db.selectFrom('signing_keys').selectAll().where('pool_id', 'in', [a, b]).execute();
    assert.equal(raw.length, 3);
    for (const row of raw) {
      assert.ok(!row.private_key.includes('PRIVATE KEY'), 'no PEM armour at rest');
      assert.ok(!JSON.stringify(row).includes(pemBody), 'no PEM body at rest');
      assert.match(row.private_key, /^v1\./);
    }

    assert.deepEqual(await store.signingKeys.list(a), [idKey, accessKey], 'ordered by creation');
    assert.deepEqual(await store.signingKeys.list(b), [keyB]);

    // Bound to its kid: a sealed key copied onto another row does not open.
    const sealedB = raw.find((r) => r.kid === keyB.kid)!.private_key;
    const swapped = signingKey(b, 'access', T0 + 9);
    await store.signingKeys.insert(swapped);
    await h.open.db.updateTable('signing_keys').set({ private_key: sealedB }).where('kid', '=', swapped.kid).execute();
    await assert.rejects(store.signingKeys.list(b), /fails to open/);
    await h.open.db.deleteFrom('signing_keys').where('kid', '=', swapped.kid).execute();

    await store.signingKeys.deleteForPool(a);
    assert.deepEqual(await store.signingKeys.list(a), []);
    assert.deepEqual(await store.signingKeys.list(b), [keyB]);
  });

  // ---------------------------------------------------------------- inbox

  test('inbox: newest first, filtered by pool and username, limited', async () => {
    const { a, b } = await twoPools(store);
    const who = `inbox-${tag()}`;
    const message = (p: string, username: string, n: number) => ({
      poolId: p,
      username,
      destination: `${username}@example.com`,
      medium: 'EMAIL' as const,
      purpose: n % 2 ? 'signup' : 'forgot-password',
      code: n % 3 ? String(100000 + n) : null,
      subject: n % 3 ? `Code ${n}` : null,
      message: `message ${n}`,
      createdAt: T0 + n,
      expiresAt: T0 + 86_400_000 + n,
    });
    await store.inbox.add(message(a, who, 1));
    await store.inbox.add(message(b, who, 2));
    await store.inbox.add(message(a, 'bob', 3));
    await store.inbox.add(message(a, who, 4));

    const mine = await store.inbox.list({ poolId: a, username: who });
    assert.deepEqual(
      mine.map((m) => m.message),
      ['message 4', 'message 1'],
    );
    const newest = mine[0]!;
    assert.equal(typeof newest.id, 'number');
    assert.deepEqual({ ...newest, id: 0 }, { ...message(a, who, 4), id: 0 });
    assert.ok(mine[0]!.id > mine[1]!.id);
    assert.deepEqual(
      (await store.inbox.list({ poolId: b, username: who })).map((m) => m.message),
      ['message 2'],
    );
    assert.deepEqual(
      (await store.inbox.list({ poolId: a })).map((m) => m.message),
      ['message 4', 'message 3', 'message 1'],
    );
    assert.deepEqual(
      (await store.inbox.list({ poolId: a, limit: 1 })).map((m) => m.message),
      ['message 4'],
    );
    assert.deepEqual(
      (await store.inbox.list({ username: who })).map((m) => [m.poolId, m.message]),
      [
        [a, 'message 4'],
        [b, 'message 2'],
        [a, 'message 1'],
      ],
    );
  });

  test('inbox: the code, subject and message are stored sealed, and expired messages are deleted', async () => {
    const fresh = await engine.fresh();
    try {
      const { a } = await twoPools(fresh.store);
      const message = (username: string, expiresAt: number) => ({
        poolId: a,
        username,
        destination: `${username}@example.com`,
        medium: 'EMAIL' as const,
        purpose: 'signup',
        code: '918273',
        subject: 'Code 918273',
        message: 'Your code is 918273',
        createdAt: T0,
        expiresAt,
      });
      await fresh.store.inbox.add(message('soon', T0 + 1000));
      await fresh.store.inbox.add(message('later', T0 + 5000));
      const rows = await fresh.open.db.selectFrom('inbox').selectAll().execute();
      assert.equal(rows.length, 2);
      assert.ok(!JSON.stringify(rows).includes('918273'), 'no stored column holds the code');
      assert.equal((await fresh.store.inbox.list({ username: 'soon' }))[0]?.code, '918273');

      assert.equal(await fresh.store.inbox.deleteExpired(T0 + 999), 0);
      assert.equal(await fresh.store.inbox.deleteExpired(T0 + 1000), 1);
      assert.deepEqual(
        (await fresh.store.inbox.list({ poolId: a })).map((m) => m.username),
        ['later'],
      );
    } finally {
      await fresh.close();
    }
  });

  test('inbox: messages stored in clear before 0010 are dropped by the migration', async () => {
    const fresh = await engine.fresh();
    try {
      const { db } = fresh.open;
      await migrateTo(fresh.open, '0009-group-members-by-user');
      await sql`insert into inbox (pool_id, username, destination, medium, purpose, code, subject, message, created_at)
        values ('us-east-1_old', 'alice', 'a@example.com', 'EMAIL', 'signup', '555111', 'Code', 'Your code is 555111', ${T0})`.execute(db);
      await migrateToLatest(fresh.open);
      const rows = await db.selectFrom('inbox').selectAll().execute();
      assert.deepEqual(rows, []);
    } finally {
      await fresh.close();
    }
  });

  test('users: 0029 keeps only the users that have an optional attribute in its index, and its filters find them', async () => {
    const fresh = await engine.fresh();
    try {
      const { db } = fresh.open;
      await migrateTo(fresh.open, '0028-user-import-files');
      const a = 'us-east-1_partial';
      const users = [
        user(a, 'alice', { email: 'alice@example.com', given_name: 'Alice', phone_number: '+15550100' }),
        user(a, 'bob', { given_name: 'Bob' }),
        user(a, 'carol', { email: 'carol@example.com', preferred_username: 'caz', name: 'Carol C', family_name: 'Cee' }),
      ];
      for (const u of users) assert.equal(await fresh.store.users.insert(u), true);
      await migrateToLatest(fresh.open);
      const columns = ['email_key', 'phone_number', 'preferred_username_key', 'name_key', 'given_name_key', 'family_name_key'];
      const definitions = (
        engine.name === 'postgres'
          ? await sql<IndexText>`select indexname as name, indexdef as text from pg_indexes
              where schemaname = current_schema() and tablename = 'users'`.execute(db)
          : await sql<IndexText>`select name, sql as text from sqlite_master where type = 'index' and tbl_name = 'users'`.execute(db)
      ).rows;
      for (const column of columns) {
        const index = definitions.find((d) => d.name === `users_${column}`);
        assert.match(index?.text ?? '', new RegExp(`where \\(?"?${column}"? is not null\\)?$`, 'i'), `users_${column}`);
      }
      // users_status and users_enabled hold every user: their columns are never null.
      assert.doesNotMatch(definitions.find((d) => d.name === 'users_status')?.text ?? '', /where/i);

      const names = async (filter: UserFilter | undefined): Promise<string[]> => (await walkUsers(fresh.store, a, filter, 1)).usernames;
      assert.deepEqual(await names(undefined), ['alice', 'bob', 'carol']);
      assert.deepEqual(await names({ field: 'email', op: '^=', value: '' }), ['alice', 'carol']);
      assert.deepEqual(await names({ field: 'given_name', op: '^=', value: '' }), ['alice', 'bob']);
      assert.deepEqual(await names({ field: 'phone_number', op: '=', value: '+15550100' }), ['alice']);
      assert.deepEqual(await names({ field: 'preferred_username', op: '^=', value: 'c' }), ['carol']);
      assert.deepEqual(await names({ field: 'name', op: '^=', value: '' }), ['carol']);
      // A user who gains the attribute enters the index; one who loses it leaves.
      await fresh.store.users.update({ ...users[1]!, attributes: { ...users[1]!.attributes, email: 'bob@example.com' } });
      await fresh.store.users.update({ ...users[0]!, attributes: { sub: users[0]!.sub } });
      assert.deepEqual(await names({ field: 'email', op: '^=', value: '' }), ['bob', 'carol']);
      assert.deepEqual(await names({ field: 'phone_number', op: '^=', value: '+' }), []);
    } finally {
      await fresh.close();
    }
  });

  // ---------------------------------------------------------------- audit events

  test('audit events: newest first, by pool and user, kept after the pool is deleted, pruned by age', async () => {
    const fresh = await engine.fresh();
    try {
      const { a, b } = await twoPools(fresh.store);
      const event = (poolId: string, username: string, at: number) => ({
        at,
        event: 'SignIn',
        outcome: 'Pass' as const,
        poolId,
        clientId: 'client',
        actor: null,
        username,
        sub: `sub-${username}`,
        sourceIp: '127.0.0.1',
        requestId: `request-${at}`,
        error: null,
        detail: { flow: 'USER_PASSWORD_AUTH' },
        eventId: `event-${at}`,
      });
      await fresh.store.auditEvents.add(event(a, 'alice', T0 + 1));
      await fresh.store.auditEvents.add(event(b, 'alice', T0 + 2));
      await fresh.store.auditEvents.add(event(a, 'bob', T0 + 3));
      await fresh.store.auditEvents.add({ ...event(a, 'alice', T0 + 4), outcome: 'Fail', error: 'NotAuthorizedException', detail: null });

      const alice = await fresh.store.auditEvents.list({ poolId: a, username: 'alice' });
      assert.deepEqual(
        alice.map(({ id: _id, feedback: _feedback, ...e }) => e),
        [{ ...event(a, 'alice', T0 + 4), outcome: 'Fail', error: 'NotAuthorizedException', detail: null }, event(a, 'alice', T0 + 1)],
      );
      assert.deepEqual(
        (await fresh.store.auditEvents.list({ poolId: a, limit: 2 })).map((e) => e.at),
        [T0 + 4, T0 + 3],
      );
      assert.deepEqual(
        (await fresh.store.auditEvents.list({ poolId: b })).map((e) => e.username),
        ['alice'],
      );

      await fresh.store.pools.delete(a);
      assert.equal((await fresh.store.auditEvents.list({ poolId: a })).length, 3, 'what happened to a pool outlives it');

      assert.equal(await fresh.store.auditEvents.prune(T0 + 3), 2);
      assert.deepEqual(
        (await fresh.store.auditEvents.list({ poolId: a })).map((e) => e.at),
        [T0 + 4, T0 + 3],
      );
      assert.deepEqual(await fresh.store.auditEvents.list({ poolId: b }), []);
    } finally {
      await fresh.close();
    }
  });

  test('auth events: one user by name, alias or sub, of the given kinds, paged by id, with feedback by EventId', async () => {
    const fresh = await engine.fresh();
    try {
      const { a, b } = await twoPools(fresh.store);
      const add = (poolId: string, username: string | null, sub: string | null, event: string, at: number) =>
        fresh.store.auditEvents.add({
          at,
          event,
          outcome: 'Pass',
          poolId,
          clientId: 'client',
          actor: null,
          username,
          sub,
          sourceIp: '192.0.2.1',
          requestId: null,
          error: null,
          detail: null,
          eventId: `${poolId}-${at}`,
        });
      await add(a, 'alice', 'sub-a', 'SignUp', T0 + 1);
      await add(a, 'alice@example.com', null, 'SignIn', T0 + 2);
      await add(a, null, 'sub-a', 'SignIn', T0 + 3);
      await add(a, 'alice', 'sub-a', 'AdminDisableUser', T0 + 4);
      await add(a, 'bob', 'sub-b', 'SignIn', T0 + 5);
      await add(b, 'alice', 'sub-a', 'SignIn', T0 + 6);
      const query = { poolId: a, usernames: ['alice', 'alice@example.com'], sub: 'sub-a', events: ['SignIn', 'SignUp'], limit: 2 };
      const first = await fresh.store.auditEvents.listForUser(query);
      assert.deepEqual(
        first.map((e) => e.at),
        [T0 + 3, T0 + 2],
      );
      const rest = await fresh.store.auditEvents.listForUser({ ...query, beforeId: first[1]!.id });
      assert.deepEqual(
        rest.map((e) => e.at),
        [T0 + 1],
      );

      assert.equal((await fresh.store.auditEvents.getByEventId(b, `${a}-${T0 + 2}`)) === undefined, true, 'another pool sees nothing');
      await fresh.store.auditEvents.setFeedback(a, `${a}-${T0 + 2}`, { value: 'Invalid', provider: 'Admin', at: T0 + 9 });
      const marked = await fresh.store.auditEvents.getByEventId(a, `${a}-${T0 + 2}`);
      assert.deepEqual(marked?.feedback, { value: 'Invalid', provider: 'Admin', at: T0 + 9 });
      assert.equal((await fresh.store.auditEvents.getByEventId(a, `${a}-${T0 + 3}`))?.feedback, null);
    } finally {
      await fresh.close();
    }
  });

  test('risk configurations: per client and the pool default, replaced, gone with their client and pool', async () => {
    const { a, b } = await twoPools(store);
    const config = { RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'] } };
    await store.riskConfigurations.put({ poolId: a, clientId: 'ALL', config, updatedAt: T0 });
    await store.riskConfigurations.put({ poolId: a, clientId: 'ALL', config: {}, updatedAt: T0 + 1 });
    assert.deepEqual(await store.riskConfigurations.get(a, 'ALL'), { poolId: a, clientId: 'ALL', config: {}, updatedAt: T0 + 1 });
    assert.equal(await store.riskConfigurations.get(b, 'ALL'), undefined);
    await store.riskConfigurations.delete(a, 'ALL');
    assert.equal(await store.riskConfigurations.get(a, 'ALL'), undefined);

    const id = clientId();
    await store.clients.create(client(a, id, 'risky'));
    await store.riskConfigurations.put({ poolId: a, clientId: id, config, updatedAt: T0 });
    await store.riskConfigurations.put({ poolId: a, clientId: 'ALL', config, updatedAt: T0 });
    await store.clients.delete(a, id);
    assert.equal(await store.riskConfigurations.get(a, id), undefined);
    await store.pools.delete(a);
    assert.equal(await store.riskConfigurations.get(a, 'ALL'), undefined);
  });

  // ---------------------------------------------------------------- trigger invocations

  test('trigger invocations: newest first per pool, trimmed to the newest N, gone with their pool', async () => {
    const { a, b } = await twoPools(store);
    const invocation = (at: number, outcome = 'ok'): TriggerInvocation => ({
      at,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up',
      triggerSource: 'PreSignUp_SignUp',
      mode: 'module',
      durationMs: 3,
      outcome,
      detail: outcome === 'ok' ? null : 'Registration from this domain is not allowed.',
      logs: outcome === 'ok' ? 'checked alice\n' : null,
    });
    for (let i = 1; i <= 5; i += 1) await store.triggerInvocations.add(a, invocation(T0 + i, i === 4 ? 'handler-error' : 'ok'));
    await store.triggerInvocations.add(b, invocation(T0 + 100));
    assert.deepEqual(await store.triggerInvocations.list(a, 2), [invocation(T0 + 5), invocation(T0 + 4, 'handler-error')]);

    await store.triggerInvocations.trim(a, 3);
    assert.deepEqual(
      (await store.triggerInvocations.list(a, 10)).map((i) => i.at),
      [T0 + 5, T0 + 4, T0 + 3],
    );
    await store.triggerInvocations.trim(a, 3);
    assert.equal((await store.triggerInvocations.list(a, 10)).length, 3, 'trimming to what is there keeps it all');
    assert.deepEqual(await store.triggerInvocations.list(b, 10), [invocation(T0 + 100)], 'another pool is untouched');

    const log = new InvocationLog(store.triggerInvocations, 2, silentLogger);
    for (let i = 1; i <= 20; i += 1) log.add(b, invocation(T0 + 200 + i));
    assert.deepEqual(
      (await log.list(b)).map((i) => i.at),
      [T0 + 220, T0 + 219],
      'the log shows only its newest N',
    );
    assert.ok((await store.triggerInvocations.list(b, 100)).length <= 2 + 16, 'older rows are trimmed as writes go on');

    await store.pools.delete(a);
    assert.deepEqual(await store.triggerInvocations.list(a, 10), []);
  });

  // ---------------------------------------------------------------- rate counters

  test('rate counters: count within a fixed window and roll over at its end', async () => {
    const { a, b } = await twoPools(store);
    const keyA = `signup:${a}:alice:${tag()}`;
    const keyB = `signup:${b}:alice:${tag()}`;
    const window = 60_000;
    const start = T0 - (T0 % window);
    assert.equal(await store.rateCounters.hit(keyA, window, start), 1);
    assert.equal(await store.rateCounters.hit(keyA, window, start + 1), 2);
    assert.equal(await store.rateCounters.hit(keyA, window, start + window - 1), 3);
    assert.equal(await store.rateCounters.hit(keyB, window, start + 5), 1, 'another key counts on its own');
    assert.equal(await store.rateCounters.hit(keyA, window, start + window), 1, 'a new window starts again at one');
    assert.equal(await store.rateCounters.hit(keyA, window, start + window + 10), 2);
    assert.equal(await store.rateCounters.hit(keyA, window, start + 5 * window), 1, 'a later window, skipping some');
    assert.equal(await store.rateCounters.hit(keyB, window, start + 6), 2);
  });

  test('rate counters: a sliding window restarts after idleMs without hits; peek and reset', async () => {
    const { a, b } = await twoPools(store);
    const keyA = `lockout:${a}:alice:${tag()}`;
    const keyB = `lockout:${b}:alice:${tag()}`;
    const idle = 1_000;
    assert.equal(await store.rateCounters.peek(keyA), undefined);
    assert.equal(await store.rateCounters.hitSliding(keyA, idle, T0), 1);
    assert.equal(await store.rateCounters.hitSliding(keyA, idle, T0 + idle - 1), 2);
    // Each hit moves the window: measured from the previous hit, not from the first.
    assert.equal(await store.rateCounters.hitSliding(keyA, idle, T0 + 2 * idle - 2), 3);
    assert.deepEqual(await store.rateCounters.peek(keyA), { count: 3, at: T0 + 2 * idle - 2 });
    assert.equal(await store.rateCounters.hitSliding(keyB, idle, T0 + 1), 1, 'another key counts on its own');
    assert.equal(await store.rateCounters.hitSliding(keyA, idle, T0 + 3 * idle - 2), 1, 'idleMs after the last hit it restarts');
    assert.deepEqual(await store.rateCounters.peek(keyA), { count: 1, at: T0 + 3 * idle - 2 });
    await store.rateCounters.reset(keyA);
    assert.equal(await store.rateCounters.peek(keyA), undefined);
    assert.deepEqual(await store.rateCounters.peek(keyB), { count: 1, at: T0 + 1 });
    assert.equal(await store.rateCounters.hitSliding(keyA, idle, T0 + 3 * idle), 1);
    await store.rateCounters.reset(`never-${tag()}`);
  });

  test('rate counters: claim takes a marker once, whoever races, until reset gives it up', async () => {
    const { a } = await twoPools(store);
    const key = `auth-session:${a}:${tag()}`;
    const racing = await Promise.all(Array.from({ length: 5 }, () => store.rateCounters.claim(key, T0)));
    assert.deepEqual(
      racing.filter((took) => took),
      [true],
      'of callers racing for a marker, exactly one takes it',
    );
    assert.deepEqual(await store.rateCounters.peek(key), { count: 1, at: T0 }, 'the refused claims count nothing');
    assert.equal(await store.rateCounters.claim(key, T0 + 1), false);
    await store.rateCounters.reset(key);
    assert.equal(await store.rateCounters.claim(key, T0 + 2), true, 'a marker given up can be taken again');
    assert.deepEqual(await store.rateCounters.peek(key), { count: 1, at: T0 + 2 });
  });

  /** Five free attempts, then 1 s, 2 s and 4 s locks (the last for every higher count), forgotten 10 s after a lock ends. */
  const LOCKOUT = { lockMs: [0, 0, 0, 0, 0, 1_000, 2_000, 4_000], idleMs: 10_000 };

  test('rate counters: reserve counts attempts until the lock, refuses during it without counting, and doubles after', async () => {
    const { a, b } = await twoPools(store);
    const keyA = `signin-failures:${a}:alice:${tag()}`;
    const keyB = `signin-failures:${b}:alice:${tag()}`;
    for (let n = 1; n <= 5; n++) assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + n), n);
    // The fifth attempt locks for 1 s from its time, T0 + 5.
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 5), undefined);
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 1_004), undefined);
    assert.deepEqual(await store.rateCounters.peek(keyA), { count: 5, at: T0 + 5 }, 'a refused attempt counts nothing');
    assert.equal(await store.rateCounters.reserve(keyB, LOCKOUT, T0 + 6), 1, 'another key counts on its own');
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 1_005), 6);
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 3_004), undefined, 'the sixth locks for 2 s');
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 3_005), 7);
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 7_004), undefined, 'the seventh locks for 4 s');
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 7_005), 8);
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 11_004), undefined, 'the last step holds beyond the list');
    assert.equal(await store.rateCounters.reserve(keyA, LOCKOUT, T0 + 11_005), 9);
  });

  test('rate counters: reserve forgets the count idleMs after the lock ends, and not before', async () => {
    const key = `signin-failures:${poolId()}:bob:${tag()}`;
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, T0), 1);
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, T0 + 10_000 - 1), 2, 'unlocked: quiet time runs from the last attempt');
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, T0 + 20_000 - 1), 1, 'idleMs after the last attempt it starts over');
    for (let n = 2; n <= 6; n++) assert.equal(await store.rateCounters.reserve(key, LOCKOUT, T0 + 20_000 + n * 1_000), n);
    // The sixth, at T0 + 26 s, locks for 2 s: the quiet time starts when the lock ends, at T0 + 28 s.
    const lockEnd = T0 + 28_000;
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, lockEnd + 10_000 - 1), 7);
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, lockEnd + 10_000 - 1 + 4_000 + 10_000), 1);
  });

  test('rate counters: concurrent reservations count no more attempts than the lock lets through', async () => {
    const key = `signin-failures:${poolId()}:carol:${tag()}`;
    const results = await Promise.all(Array.from({ length: 40 }, () => store.rateCounters.reserve(key, LOCKOUT, T0)));
    assert.deepEqual(
      results.filter((n) => n !== undefined).sort((x, y) => x! - y!),
      [1, 2, 3, 4, 5],
    );
    assert.equal(results.filter((n) => n === undefined).length, 35);
    assert.deepEqual(await store.rateCounters.peek(key), { count: 5, at: T0 });
  });

  test('codes: concurrent attempts reserve no more than the limit', async () => {
    const { a } = await twoPools(store);
    const record = code(a, 'alice', 'signup');
    await store.codes.put(record);
    const reserved = await Promise.all(Array.from({ length: 30 }, () => store.codes.reserveAttempt(record.id, 5)));
    assert.equal(reserved.filter(Boolean).length, 5);
    assert.equal((await store.codes.get(a, 'alice', 'signup'))?.attempts, 5);
  });

  test('rate counters: giveBack takes back the first attempts and keeps the later ones', async () => {
    const key = `signin-failures:${poolId()}:dave:${tag()}`;
    for (let n = 1; n <= 5; n++) await store.rateCounters.reserve(key, LOCKOUT, T0);
    await store.rateCounters.giveBack(key, 3);
    assert.deepEqual(await store.rateCounters.peek(key), { count: 2, at: T0 });
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, T0), 3, 'below the lock again');
    await store.rateCounters.giveBack(key, 3);
    assert.equal(await store.rateCounters.peek(key), undefined, 'at zero the counter is gone');
    await store.rateCounters.giveBack(key, 1);
    assert.equal(await store.rateCounters.peek(key), undefined);
    assert.equal(await store.rateCounters.reserve(key, LOCKOUT, T0), 1);
  });

  test('rate counters: prune deletes only counters last touched before the cut-off', async () => {
    const old = `old-${tag()}`;
    const recent = `recent-${tag()}`;
    await store.rateCounters.hitSliding(old, 1_000, T0);
    await store.rateCounters.hitSliding(recent, 1_000, T0 + 10_000);
    assert.ok((await store.rateCounters.prune(T0 + 5_000)) >= 1);
    assert.equal(await store.rateCounters.peek(old), undefined);
    assert.deepEqual(await store.rateCounters.peek(recent), { count: 1, at: T0 + 10_000 });
  });

  // ---------------------------------------------------------------- settings

  test('settings: setIfAbsent keeps the first value', async () => {
    const key = `setting-${tag()}`;
    assert.equal(await store.settings.get(key), undefined);
    assert.equal(await store.settings.setIfAbsent(key, 'first'), 'first');
    assert.equal(await store.settings.setIfAbsent(key, 'second'), 'first');
    assert.equal(await store.settings.get(key), 'first');
    assert.equal(await store.settings.get(`${key}-other`), undefined);
  });

  test('settings: put sets a value and replaces it', async () => {
    const key = `put-${tag()}`;
    await store.settings.put(key, 'first');
    assert.equal(await store.settings.get(key), 'first');
    await store.settings.put(key, 'second');
    assert.equal(await store.settings.get(key), 'second');
    assert.equal(await store.settings.get(`${key}-other`), undefined);
  });

  // ---------------------------------------------------------------- transactions

  test('transaction: commits on return and rolls everything back on throw', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) {
      await store.users.insert(user(p, 'alice', { email: 'alice@example.com' }));
      await store.groups.create(group(p, 'admins'));
    }
    const beforeA = await store.users.get(a, 'alice');
    const beforeB = await store.users.get(b, 'alice');

    const result = await store.transaction(async (tx) => {
      await tx.users.insert(user(a, 'committed'));
      await tx.groups.addMember(a, 'admins', 'committed');
      return 42;
    });
    assert.equal(result, 42);
    assert.ok(await store.users.get(a, 'committed'));
    assert.deepEqual(
      (await store.groups.members(a, 'admins', 10)).map((u) => u.username),
      ['committed'],
    );

    const boom = new Error('boom');
    const key = `tx-${tag()}`;
    await assert.rejects(
      store.transaction(async (tx) => {
        assert.equal(await tx.users.insert(user(a, 'doomed')), true);
        await tx.users.update({ ...beforeA!, attributes: { ...beforeA!.attributes, email: 'changed@example.com' }, updatedAt: T0 + 1 });
        await tx.groups.delete(a, 'admins');
        await tx.codes.put(code(a, 'alice', 'signup'));
        await tx.settings.setIfAbsent(key, 'doomed');
        await tx.pools.update({ ...pool(a, 'renamed-in-tx') });
        assert.ok(await tx.users.get(a, 'doomed'), 'a transaction reads its own writes');
        assert.equal((await tx.users.get(a, 'alice'))?.attributes['email'], 'changed@example.com');
        throw boom;
      }),
      (error) => error === boom,
    );

    assert.equal(await store.users.get(a, 'doomed'), undefined);
    assert.deepEqual(await store.users.get(a, 'alice'), beforeA);
    assert.ok(await store.groups.get(a, 'admins'));
    assert.deepEqual(
      (await store.groups.members(a, 'admins', 10)).map((u) => u.username),
      ['committed'],
    );
    assert.equal(await store.codes.get(a, 'alice', 'signup'), undefined);
    assert.equal(await store.settings.get(key), undefined);
    assert.equal((await store.pools.get(a))?.name, 'tenant');
    assert.deepEqual(await store.users.get(b, 'alice'), beforeB);
    assert.equal(await store.users.count(b), 1);
  });
}
