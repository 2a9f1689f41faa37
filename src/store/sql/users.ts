import { sql, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database, UserRow } from '../schema.js';
import type { DialectCapabilities } from '../dialects/index.js';
import { revokedFamilyToken } from './refresh-tokens.js';
import type { AliasField, SearchableField, UserFilter, UserPage, UserRecord, UserStore } from '../ports.js';

type KeyColumn =
  | 'username_key'
  | 'email_key'
  | 'phone_number'
  | 'name_key'
  | 'given_name_key'
  | 'family_name_key'
  | 'preferred_username_key'
  | 'status'
  | 'sub';

/**
 * A pool up to this many users is counted exactly for DescribeUserPool's EstimatedNumberOfUsers; a
 * larger one on PostgreSQL gets the planner's estimate instead of a count over millions of rows.
 * SQLite keeps no statistics to estimate from, and counts over the pool's index.
 */
const EXACT_USER_COUNT = 10_000;

/** Where `extra` keeps the last accepted TOTP step (UserExtra's `mfa.totpLastStep`). */
const TOTP_LAST_STEP = ['mfa', 'totpLastStep'] as const;

/** Where each searchable attribute lives. `status` (Enabled/Disabled) is the `enabled` flag. */
const FILTER_COLUMNS: Record<Exclude<SearchableField, 'status'>, KeyColumn> = {
  username: 'username_key',
  email: 'email_key',
  phone_number: 'phone_number',
  name: 'name_key',
  given_name: 'given_name_key',
  family_name: 'family_name_key',
  preferred_username: 'preferred_username_key',
  'cognito:user_status': 'status',
  sub: 'sub',
};

/** The highest code point: `value + MAX` bounds a prefix range in bytewise (UTF-8) order. */
const MAX_CHAR = '\u{10FFFF}';

function lower(value: string | undefined): string | null {
  return value === undefined ? null : value.toLowerCase();
}

/** Derives the searchable columns from the attributes, so they can never disagree. */
function toRow(user: UserRecord): UserRow {
  const a = user.attributes;
  return {
    pool_id: user.poolId,
    username: user.username,
    username_key: user.usernameKey,
    sub: user.sub,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    attributes: JSON.stringify(a),
    password_hash: user.passwordHash,
    password_changed_at: user.passwordChangedAt,
    email_key: lower(a['email']),
    email_verified: a['email_verified'] === 'true' ? 1 : 0,
    phone_number: a['phone_number'] ?? null,
    phone_verified: a['phone_number_verified'] === 'true' ? 1 : 0,
    preferred_username_key: lower(a['preferred_username']),
    name_key: lower(a['name']),
    given_name_key: lower(a['given_name']),
    family_name_key: lower(a['family_name']),
    tokens_valid_after: user.tokensValidAfter,
    extra: JSON.stringify(user.extra),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

function toRecord(row: UserRow): UserRecord {
  return {
    poolId: row.pool_id,
    username: row.username,
    usernameKey: row.username_key,
    sub: row.sub,
    status: row.status as UserRecord['status'],
    enabled: row.enabled === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    passwordHash: row.password_hash,
    passwordChangedAt: row.password_changed_at,
    tokensValidAfter: row.tokens_valid_after,
    extra: JSON.parse(row.extra) as UserRecord['extra'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): (string | number)[] | undefined {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string' || typeof p === 'number')) return parts as (string | number)[];
  } catch {
    // fall through
  }
  return undefined;
}

export class InvalidCursorError extends Error {}

/**
 * Rows per multi-row INSERT: SQLite binds at most 32,766 parameters per statement and PostgreSQL
 * 65,535; a users row binds 21. Each statement has a power of two of rows (1,024 at most; the
 * rest of a batch goes in ever smaller ones), so batches of any size use the same eleven statement
 * texts, which SQLite's statement cache keeps prepared: a text per batch size would be prepared
 * anew for each batch (a 1,000-row INSERT takes milliseconds to prepare) and would push the
 * requests' statements out of the cache.
 */
const INSERT_MANY_CHUNK = 1024;

/** Username keys per `in (...)` list, padded to a power of two for the same reason; a batch of 1,024 is one query. */
const TAKEN_KEYS_CHUNK = 1024;

/** The largest power of two no greater than `n` (n >= 1), at most `cap`. */
function chunkSize(n: number, cap: number): number {
  return Math.min(cap, 2 ** Math.floor(Math.log2(n)));
}

export class SqlUserStore implements UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectCapabilities,
  ) {}

  /** Decodes a joined users row (used by the group store). */
  fromRow(row: UserRow): UserRecord {
    return toRecord(row);
  }

  async insert(user: UserRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('users')
      .values(toRow(user))
      .onConflict((oc) => oc.columns(['pool_id', 'username_key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Inserts many users with one multi-row INSERT per chunk (a chunk stays under both engines' bound
   * parameter limits), deriving the searchable columns exactly as `insert` does. Users whose
   * username key is taken are skipped; returns how many were inserted. Atomic only inside a
   * transaction: bulk loaders wrap each batch in one.
   */
  async insertMany(users: readonly UserRecord[]): Promise<number> {
    let inserted = 0;
    for (let at = 0; at < users.length;) {
      const rows = users.slice(at, at + chunkSize(users.length - at, INSERT_MANY_CHUNK)).map(toRow);
      at += rows.length;
      const result = await this.db
        .insertInto('users')
        .values(rows)
        .onConflict((oc) => oc.columns(['pool_id', 'username_key']).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  }

  async get(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async getSignedIn(
    poolId: string,
    usernameKey: string,
    originJti: string,
  ): Promise<{ user: UserRecord; familyRevoked: boolean } | undefined> {
    // One round trip for what every access token's check needs, instead of a second query.
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .select((eb) => eb.exists(revokedFamilyToken(this.db, originJti)).as('family_revoked'))
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .executeTakeFirst();
    // PostgreSQL answers a boolean, SQLite 0 or 1.
    return row && { user: toRecord(row), familyRevoked: Boolean(Number(row.family_revoked)) };
  }

  async takenUsernameKeys(poolId: string, usernameKeys: readonly string[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (let at = 0; at < usernameKeys.length; at += TAKEN_KEYS_CHUNK) {
      const keys = usernameKeys.slice(at, at + TAKEN_KEYS_CHUNK);
      // Repeating a key changes nothing in the answer.
      const padded = [...keys, ...Array<string>(2 ** Math.ceil(Math.log2(keys.length)) - keys.length).fill(keys[0]!)];
      const rows = await this.db
        .selectFrom('users')
        .select('username_key')
        .where('pool_id', '=', poolId)
        .where('username_key', 'in', padded)
        .execute();
      for (const row of rows) taken.add(row.username_key);
    }
    return taken;
  }

  async getBySub(poolId: string, sub: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('sub', '=', sub).executeTakeFirst();
    return row && toRecord(row);
  }

  async findByAttribute(poolId: string, field: AliasField, value: string, verifiedOnly: boolean): Promise<UserRecord[]> {
    let query = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    if (field === 'email') {
      query = query.where('email_key', '=', value.toLowerCase());
      if (verifiedOnly) query = query.where('email_verified', '=', 1);
    } else if (field === 'phone_number') {
      query = query.where('phone_number', '=', value);
      if (verifiedOnly) query = query.where('phone_verified', '=', 1);
    } else {
      query = query.where('preferred_username_key', '=', value.toLowerCase());
    }
    return (await query.orderBy('username_key').limit(10).execute()).map(toRecord);
  }

  async update(user: UserRecord): Promise<void> {
    const { pool_id, username_key, created_at, ...rest } = toRow(user);
    void created_at;
    await this.db.updateTable('users').set(rest).where('pool_id', '=', pool_id).where('username_key', '=', username_key).execute();
  }

  async updateExtra(user: UserRecord): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ extra: JSON.stringify(user.extra) })
      .where('pool_id', '=', user.poolId)
      .where('username_key', '=', user.usernameKey)
      .execute();
  }

  async spendTotpStep(user: UserRecord): Promise<boolean> {
    const step = user.extra.mfa?.totpLastStep;
    if (step === undefined) throw new Error('spendTotpStep needs the step in extra.mfa.totpLastStep');
    // The guard is read from the row as the statement finds it (PostgreSQL re-reads a row that a
    // concurrent update changed before this one's turn), so of two writers of one step only the
    // first matches.
    const result = await this.db
      .updateTable('users')
      .set({ extra: JSON.stringify(user.extra) })
      .where('pool_id', '=', user.poolId)
      .where('username_key', '=', user.usernameKey)
      .where(sql<SqlBool>`coalesce(${this.dialect.jsonInteger('extra', TOTP_LAST_STEP)}, -1) < ${step}`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(poolId: string, usernameKey: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('devices').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('webauthn_credentials').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('linked_identities').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('users').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
  }

  /**
   * Keyset pages ordered by the filtered column then username key, served by the
   * `(pool_id, column, username_key)` indexes (status: `users_enabled`; sub: the unique
   * `users_sub`, which orders alone). Every page is one index range, so a deep page costs what the
   * first does and nothing is sorted, at any pool size: an `=` filter pins the column and pages on
   * the username key; a prefix pages on the row value `(column, username_key)`, which both engines
   * use as the range's start (`col > v or (col = v and key > k)` they do not, and walk every
   * earlier match).
   */
  async list(poolId: string, filter: UserFilter | undefined, limit: number, cursor?: string): Promise<UserPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const invalid = (): InvalidCursorError => new InvalidCursorError('bad pagination token');
    if (cursor !== undefined && (after === undefined || after.length === 0)) throw invalid();
    let query: SelectQueryBuilder<Database, 'users', UserRow> = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    let column: KeyColumn | 'enabled' = 'username_key';
    /** The column's one value under an `=` filter (or a status filter naming one state). */
    let pinned: string | number | undefined;
    let prefix: string | undefined;
    if (filter) {
      if (filter.field === 'status') {
        column = 'enabled';
        const wanted = ['Enabled', 'Disabled']
          .filter((s) => (filter.op === '=' ? s === filter.value : s.startsWith(filter.value)))
          .map((s) => (s === 'Enabled' ? 1 : 0));
        if (wanted.length === 0) return { users: [] };
        // Both states: every user, still in (enabled, username) order.
        if (wanted.length === 1) pinned = wanted[0];
      } else {
        column = FILTER_COLUMNS[filter.field];
        if (filter.op === '=') pinned = filter.value;
        else prefix = filter.value;
      }
    }
    const unique = column === 'username_key' || column === 'sub';
    if (pinned !== undefined) query = query.where(column, '=', pinned as never);
    if (prefix !== undefined) query = query.where(column, '<', prefix + MAX_CHAR);
    if (after) {
      // A cursor this filter could not have produced is refused rather than followed elsewhere.
      const [value, key] = after;
      if (prefix !== undefined && !(typeof value === 'string' && value.startsWith(prefix))) throw invalid();
      if (unique) {
        query = query.where(column, '>', String(value));
      } else if (key === undefined || (column === 'enabled') !== (typeof value === 'number')) {
        throw invalid();
      } else if (pinned !== undefined) {
        if (value !== pinned) throw invalid();
        query = query.where('username_key', '>', String(key));
      } else {
        query = query.where(sql<SqlBool>`(${sql.ref(column)}, ${sql.ref('username_key')}) > (${value}, ${String(key)})`);
      }
    } else if (prefix !== undefined) {
      query = query.where(column, '>=', prefix);
    }
    query = query.orderBy(column);
    if (!unique) query = query.orderBy('username_key');
    const rows = await query.limit(limit + 1).execute();
    const users = rows.slice(0, limit).map(toRecord);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    if (!last) return { users };
    const next = column === 'username_key' ? encodeCursor([last.username_key]) : encodeCursor([last[column] ?? '', last.username_key]);
    return { users, next };
  }

  async estimatedCount(poolId: string): Promise<number> {
    if (this.dialect.name !== 'postgres') return this.count(poolId);
    const bounded = await this.db
      .selectFrom((eb) =>
        eb
          .selectFrom('users')
          .select(sql<number>`1`.as('one'))
          .where('pool_id', '=', poolId)
          .limit(EXACT_USER_COUNT + 1)
          .as('counted'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const counted = Number(bounded?.n ?? 0);
    if (counted <= EXACT_USER_COUNT) return counted;
    // The planner's row estimate for the pool, from the table's statistics (kept by autovacuum).
    const { rows } = await sql<{
      'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }];
    }>`explain (format json) select 1 from users where pool_id = ${poolId}`.execute(this.db);
    const planned = rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0;
    return Math.max(counted, Math.round(planned));
  }

  async refreshStatistics(): Promise<void> {
    // ANALYZE samples a fixed number of rows (300 × the statistics target), so it takes about as
    // long at 10M users as at 100k.
    if (this.dialect.name === 'postgres') await sql`analyze users`.execute(this.db);
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
