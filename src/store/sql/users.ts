import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database, UserRow } from '../schema.js';
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

export class SqlUserStore implements UserStore {
  constructor(private readonly db: Kysely<Database>) {}

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

  async get(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', usernameKey).executeTakeFirst();
    return row && toRecord(row);
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

  async delete(poolId: string, usernameKey: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('devices').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
    await this.db.deleteFrom('users').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
  }

  /**
   * Keyset pages ordered by the filtered column then username key, served by the
   * `(pool_id, column, username_key)` indexes: no offset scans at any pool size.
   */
  async list(poolId: string, filter: UserFilter | undefined, limit: number, cursor?: string): Promise<UserPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined) throw new InvalidCursorError('bad pagination token');
    let query: SelectQueryBuilder<Database, 'users', UserRow> = this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId);
    let column: KeyColumn | 'enabled' = 'username_key';
    if (filter) {
      if (filter.field === 'status') {
        column = 'enabled';
        const wanted = ['Enabled', 'Disabled'].filter((s) => (filter.op === '=' ? s === filter.value : s.startsWith(filter.value)));
        query = query.where('enabled', 'in', wanted.length ? wanted.map((s) => (s === 'Enabled' ? 1 : 0)) : [-1]);
      } else {
        column = FILTER_COLUMNS[filter.field];
        query =
          filter.op === '='
            ? query.where(column, '=', filter.value)
            : query.where(column, '>=', filter.value).where(column, '<', filter.value + MAX_CHAR);
      }
    }
    if (after) {
      if (column === 'username_key') {
        query = query.where('username_key', '>', String(after[0]));
      } else {
        const [value, key] = after;
        const col = column;
        query = query.where((eb) =>
          eb.or([eb(col, '>', value as never), eb.and([eb(col, '=', value as never), eb('username_key', '>', String(key))])]),
        );
      }
    }
    if (column !== 'username_key') query = query.orderBy(column);
    const rows = await query.orderBy('username_key').limit(limit + 1).execute();
    const users = rows.slice(0, limit).map(toRecord);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    if (!last) return { users };
    const next = column === 'username_key' ? encodeCursor([last.username_key]) : encodeCursor([last[column] ?? '', last.username_key]);
    return { users, next };
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('pool_id', '=', poolId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
