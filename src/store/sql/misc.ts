import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import type {
  InboxMessage,
  InboxStore,
  LockoutRule,
  RateCounterState,
  RateCounterStore,
  SettingStore,
  SigningKeyRecord,
  SigningKeyStore,
} from '../ports.js';
import type { Sealer } from '../../crypto/sealing.js';

export class SqlSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
  ) {}

  async insert(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        pool_id: key.poolId,
        purpose: key.purpose,
        private_key: this.sealer.seal(key.privateKey, `signing-key:${key.kid}`),
        public_jwk: JSON.stringify(key.publicJwk),
        status: key.status,
        created_at: key.createdAt,
      })
      .execute();
  }

  async list(poolId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).orderBy('created_at').execute();
    return rows.map((row) => {
      const privateKey = this.sealer.openString(row.private_key, `signing-key:${row.kid}`);
      if (privateKey === null) throw new Error(`signing key ${row.kid} fails to open (wrong master key?)`);
      return {
        kid: row.kid,
        poolId: row.pool_id,
        purpose: row.purpose as SigningKeyRecord['purpose'],
        privateKey,
        publicJwk: JSON.parse(row.public_jwk) as Record<string, string>,
        status: row.status as SigningKeyRecord['status'],
        createdAt: row.created_at,
      };
    });
  }

  async kids(poolId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('signing_keys').select('kid').where('pool_id', '=', poolId).execute();
    return rows.map((row) => row.kid);
  }

  async setStatus(poolId: string, kids: readonly string[], status: SigningKeyRecord['status']): Promise<void> {
    if (kids.length === 0) return;
    await this.db.updateTable('signing_keys').set({ status }).where('pool_id', '=', poolId).where('kid', 'in', kids).execute();
  }

  async deleteForPool(poolId: string): Promise<void> {
    await this.db.deleteFrom('signing_keys').where('pool_id', '=', poolId).execute();
  }
}

/** What the inbox seals of a message: everything that may carry the code. */
interface SealedBody {
  code: string | null;
  subject: string | null;
  message: string;
}

/**
 * The local inbox. The code, subject and message are sealed together under the master key, bound
 * to the pool, user and time of the message, so a row copied elsewhere fails to open.
 */
export class SqlInboxStore implements InboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
  ) {}

  private static context(poolId: string, username: string, createdAt: number): string {
    return `inbox:${poolId}:${username}:${createdAt}`;
  }

  async add(message: Omit<InboxMessage, 'id'>): Promise<void> {
    const body: SealedBody = { code: message.code, subject: message.subject, message: message.message };
    await this.db
      .insertInto('inbox')
      .values({
        pool_id: message.poolId,
        username: message.username,
        destination: message.destination,
        medium: message.medium,
        purpose: message.purpose,
        sealed: this.sealer.seal(JSON.stringify(body), SqlInboxStore.context(message.poolId, message.username, message.createdAt)),
        created_at: message.createdAt,
        expires_at: message.expiresAt,
      })
      .execute();
  }

  async list(query: { poolId?: string; username?: string; limit?: number }): Promise<InboxMessage[]> {
    let q = this.db
      .selectFrom('inbox')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50);
    if (query.poolId !== undefined) q = q.where('pool_id', '=', query.poolId);
    if (query.username !== undefined) q = q.where('username', '=', query.username);
    const rows = await q.execute();
    return rows.flatMap((row) => {
      const opened = this.sealer.openString(row.sealed, SqlInboxStore.context(row.pool_id, row.username, row.created_at));
      if (opened === null) return [];
      const body = JSON.parse(opened) as SealedBody;
      return [
        {
          id: Number(row.id),
          poolId: row.pool_id,
          username: row.username,
          destination: row.destination,
          medium: row.medium as InboxMessage['medium'],
          purpose: row.purpose,
          code: body.code,
          subject: body.subject,
          message: body.message,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        },
      ];
    });
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('inbox').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export class SqlRateCounterStore implements RateCounterStore {
  constructor(private readonly db: Kysely<Database>) {}

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    const windowStart = now - (now % windowMs);
    const row = await this.db
      .insertInto('rate_counters')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb
            .case()
            .when('rate_counters.window_start', '=', windowStart)
            .then(eb('rate_counters.count', '+', 1))
            .else(1)
            .end(),
          window_start: windowStart,
        })),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async hitSliding(key: string, idleMs: number, now: number): Promise<number> {
    const row = await this.db
      .insertInto('rate_counters')
      .values({ key, window_start: now, count: 1 })
      // A raw CASE, as in `reserve`: Kysely's expression builder costs several times as much to
      // build and compile as the statement takes to run, and every single-use marker (an MFA
      // session spent, a TOTP step used) comes through here.
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when rate_counters.window_start > ${now - idleMs} then rate_counters.count + 1 else 1 end`,
          window_start: now,
        }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async claim(key: string, now: number): Promise<boolean> {
    // RETURNING yields a row only for an inserted one: a conflict does nothing and returns none.
    const row = await this.db
      .insertInto('rate_counters')
      .values({ key, window_start: now, count: 1 })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('count')
      .executeTakeFirst();
    return row !== undefined;
  }

  async reserve(key: string, rule: LockoutRule, now: number): Promise<number | undefined> {
    const lockEnd = sql<number>`rate_counters.window_start + ${lockMsOf(rule)}`;
    // The upsert's WHERE is evaluated on the row as locked by the statement, so racing callers
    // see each other's counts: a locked counter updates nothing and returns no row.
    const row = await this.db
      .insertInto('rate_counters')
      .values({ key, window_start: now, count: 1 })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({
            count: sql<number>`case when ${lockEnd} + ${sql.lit(rule.idleMs)} <= ${now} then 1 else rate_counters.count + 1 end`,
            window_start: now,
          })
          .where(sql<boolean>`${lockEnd} <= ${now}`),
      )
      .returning('count')
      .executeTakeFirst();
    return row && Number(row.count);
  }

  async giveBack(key: string, count: number): Promise<void> {
    const deleted = await this.db.deleteFrom('rate_counters').where('key', '=', key).where('count', '<=', count).executeTakeFirst();
    if (Number(deleted.numDeletedRows) > 0) return;
    await this.db
      .updateTable('rate_counters')
      .set((eb) => ({ count: eb('count', '-', count) }))
      .where('key', '=', key)
      .where('count', '>', count)
      .execute();
  }

  async peek(key: string): Promise<RateCounterState | undefined> {
    const row = await this.db.selectFrom('rate_counters').select(['count', 'window_start']).where('key', '=', key).executeTakeFirst();
    return row && { count: Number(row.count), at: Number(row.window_start) };
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_counters').where('key', '=', key).execute();
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_counters').where('window_start', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** Each rule's CASE text, written once: a rule is a constant of the code, reserved on every sign-in. */
const LOCK_CASES = new WeakMap<LockoutRule, string>();

/**
 * The lock of a counter at its count, as SQL: `lockMs[count]`, with the last entry for higher
 * counts. The durations are the code's own integers, written as literals so that both engines type
 * the expression as a number. The text is written once per rule (a constant of the code) and
 * reused: every sign-in reserves an attempt, and building the CASE from template pieces each time
 * cost about a quarter of the call's CPU.
 */
function lockMsOf(rule: LockoutRule): RawBuilder<number> {
  let text = LOCK_CASES.get(rule);
  if (text === undefined) {
    const steps: string[] = [];
    for (let n = rule.lockMs.length - 1; n >= 0; n--) {
      const ms = rule.lockMs[n]!;
      if (ms <= 0) break;
      if (!Number.isSafeInteger(ms)) throw new Error(`lockout durations are whole milliseconds, not ${ms}`);
      steps.push(`when rate_counters.count >= ${n} then ${ms}`);
    }
    text = steps.length === 0 ? '0' : `(case ${steps.join(' ')} else 0 end)`;
    LOCK_CASES.set(rule, text);
  }
  return sql.raw<number>(text);
}

export class SqlSettingStore implements SettingStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setIfAbsent(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.get(key)) ?? value;
  }

  async put(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
