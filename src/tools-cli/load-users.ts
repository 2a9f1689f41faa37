import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import type { Config } from '../config/schema.js';
import { boot } from '../bootstrap.js';
import { hashPassword } from '../crypto/password-hash.js';
import { checkPasswordAgainstPolicy } from '../domain/password-policy.js';
import { newUserRecord } from '../auth/new-user.js';
import { newUuid } from '../lib/ids.js';
import { sealedSrpVerifier } from '../auth/passwords.js';
import { UsageError, flag, integerOption, option } from './args.js';

/**
 * `cognate load-users`: fills a pool with many confirmed users for scale tests and benchmarks.
 *
 * Every user gets the SAME argon2id hash: the password is hashed once, because argon2id with
 * OWASP's parameters costs tens of milliseconds by design, so hashing a million passwords would take
 * hours. Sign-in still verifies the hash as for any user, so the cost per sign-in is real. SRP
 * verifiers (`--srp`) are per user (salt and username go into them) and cost a 3072-bit modular
 * exponentiation each, so they are off by default.
 */

export const LOAD_USERS_USAGE = `Usage: cognate load-users --pool <poolId> --count <N> [--prefix user] [--password P] [--batch 1000] [--start 0] [--srp]

Inserts N confirmed users into an existing pool, one multi-row INSERT per batch, each batch in a
transaction. User i is <prefix><i> with email <prefix><i>@example.com (verified); in pools that sign
in with email or phone the username is a UUID and the email (or +1 phone) is the sign-in name.
given_name, family_name and name cycle through fixed lists so ListUsers filters have selectivity.

  --password P   every user's password (default ${'`'}Passw0rd!${'`'}); hashed ONCE with argon2id and shared
  --start S      first index (default 0): continue or extend an earlier load
  --srp          also derive and seal a per-user SRP verifier (USER_SRP_AUTH); about 1 ms per user
`;

export const DEFAULT_LOAD_PASSWORD = 'Passw0rd!';

/** given_name cycles through these (user i has GIVEN_NAMES[i % 50]). */
export const GIVEN_NAMES: readonly string[] = [
  'Alice', 'Bob', 'Carol', 'David', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy',
  'Karl', 'Laura', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Quentin', 'Rupert', 'Sybil', 'Trent',
  'Ursula', 'Victor', 'Walter', 'Xavier', 'Yvonne', 'Zoe', 'Aaron', 'Bella', 'Chen', 'Dmitri',
  'Elena', 'Farah', 'Gustav', 'Hana', 'Igor', 'Jun', 'Kofi', 'Lena', 'Mateo', 'Noor',
  'Omar', 'Priya', 'Ravi', 'Sofia', 'Tariq', 'Uma', 'Vera', 'Wen', 'Yusuf', 'Zara',
]; // prettier-ignore

/** family_name cycles more slowly (user i has FAMILY_NAMES[floor(i / 50) % 40]). */
export const FAMILY_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
]; // prettier-ignore

export interface LoadUsersOptions {
  poolId: string;
  count: number;
  prefix: string;
  password: string;
  batch: number;
  start: number;
  srp: boolean;
}

export interface LoadProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface LoadUsersResult {
  inserted: number;
  /** Users whose username was already taken (an earlier load), left as they were. */
  skipped: number;
  elapsedMs: number;
  /** Users written per second over the whole load, the one-off hash included. */
  usersPerSecond: number;
}

/** The attributes of loaded user `i` (besides sub), so tests can predict filter results. */
export function loadedUserAttributes(prefix: string, i: number): Record<string, string> {
  const given = GIVEN_NAMES[i % GIVEN_NAMES.length]!;
  const family = FAMILY_NAMES[Math.floor(i / GIVEN_NAMES.length) % FAMILY_NAMES.length]!;
  return {
    email: `${prefix}${i}@example.com`,
    email_verified: 'true',
    given_name: given,
    family_name: family,
    name: `${given} ${family}`,
  };
}

export function parseLoadUsersArgs(args: readonly string[]): LoadUsersOptions {
  const poolId = option(args, '--pool');
  if (!poolId) throw new UsageError('--pool is required', LOAD_USERS_USAGE);
  const count = integerOption(args, '--count', { min: 1, usage: LOAD_USERS_USAGE });
  if (count === undefined) throw new UsageError('--count is required', LOAD_USERS_USAGE);
  const prefix = option(args, '--prefix') ?? 'user';
  if (!/^[\w.+-]+$/.test(prefix)) throw new UsageError('--prefix may hold letters, digits and _ . + - only', LOAD_USERS_USAGE);
  return {
    poolId,
    count,
    prefix,
    password: option(args, '--password') ?? DEFAULT_LOAD_PASSWORD,
    batch: integerOption(args, '--batch', { min: 1, max: 100_000, usage: LOAD_USERS_USAGE }) ?? 1000,
    start: integerOption(args, '--start', { min: 0, usage: LOAD_USERS_USAGE }) ?? 0,
    srp: flag(args, '--srp'),
  };
}

interface UserTemplate {
  pool: UserPoolRecord;
  prefix: string;
  passwordHash: string;
  password: string;
  srp: boolean;
  now: number;
  byEmail: boolean;
  byPhone: boolean;
}

async function buildUser(services: Services, t: UserTemplate, i: number): Promise<UserRecord> {
  const sub = newUuid();
  const attributes = loadedUserAttributes(t.prefix, i);
  if (t.byPhone) {
    attributes['phone_number'] = `+1${2_000_000_000 + i}`;
    attributes['phone_number_verified'] = 'true';
  }
  // Email or phone as username: the internal username is a UUID (the sub), as SignUp makes it.
  const username = t.byEmail || t.byPhone ? sub : `${t.prefix}${i}`;
  const user = newUserRecord(t.pool, { username, sub, status: 'CONFIRMED', attributes, now: t.now });
  const extra = t.srp ? { srp: await sealedSrpVerifier(services, t.pool, user, t.password) } : {};
  return { ...user, passwordHash: t.passwordHash, passwordChangedAt: t.now, extra };
}

/**
 * Inserts `count` users from index `start` into the pool. Batches are built while the previous
 * batch is being written, so on PostgreSQL the database and the loader work at the same time.
 */
export async function loadUsers(
  services: Services,
  options: LoadUsersOptions,
  onProgress?: (progress: LoadProgress) => void,
): Promise<LoadUsersResult> {
  const started = performance.now();
  const pool = await services.store.pools.get(options.poolId);
  if (!pool) throw new Error(`user pool ${options.poolId} does not exist`);
  checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, options.password, 'AdminSetUserPassword');
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  const template: UserTemplate = {
    pool,
    prefix: options.prefix,
    password: options.password,
    passwordHash: await hashPassword(options.password),
    srp: options.srp,
    now: services.clock.now(),
    byEmail: usernameAttributes.includes('email'),
    byPhone: usernameAttributes.includes('phone_number') && !usernameAttributes.includes('email'),
  };

  const end = options.start + options.count;
  let inserted = 0;
  let done = 0;
  onProgress?.({ done, total: options.count, elapsedMs: performance.now() - started });
  let pending: Promise<void> | undefined;
  for (let at = options.start; at < end; at += options.batch) {
    const size = Math.min(options.batch, end - at);
    // Verifiers (with --srp) are computed on the SRP worker threads, a batch at a time.
    const users = await Promise.all(Array.from({ length: size }, (_, k) => buildUser(services, template, at + k)));
    await pending;
    pending = services.store
      .transaction((tx) => tx.users.insertMany(users))
      .then((n) => {
        inserted += n;
        done += size;
        onProgress?.({ done, total: options.count, elapsedMs: performance.now() - started });
      });
    // Handled when awaited; this keeps a failure during the next build from counting as unhandled.
    pending.catch(() => undefined);
  }
  await pending;
  // A pool just filled would read about 10,000 users in DescribeUserPool until autovacuum analyzed it.
  if (inserted > 0) await services.store.users.refreshStatistics();
  const elapsedMs = performance.now() - started;
  return { inserted, skipped: options.count - inserted, elapsedMs, usersPerSecond: Math.round((options.count * 1000) / elapsedMs) };
}

/** Milliseconds to come, as a person reads them: seconds below two minutes, minutes below two hours, then hours. */
function timeLeft(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  return seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;
}

/**
 * A start line once checks pass, progress lines at most every two seconds with the time left at
 * the rate so far, and the last one always.
 */
export function progressPrinter(options: LoadUsersOptions, write: (line: string) => void): (progress: LoadProgress) => void {
  let lastAt = 0;
  return ({ done, total, elapsedMs }) => {
    if (done === 0) {
      lastAt = elapsedMs;
      write(`loading ${total} users into ${options.poolId} (batches of ${options.batch}${options.srp ? ', with SRP verifiers' : ''})\n`);
      return;
    }
    if (done < total && elapsedMs - lastAt < 2000) return;
    lastAt = elapsedMs;
    const rate = Math.round((done * 1000) / Math.max(elapsedMs, 1));
    const left = done < total ? `, about ${timeLeft(((total - done) * Math.max(elapsedMs, 1)) / done)} left` : '';
    write(`  ${done}/${total} users (${Math.floor((done * 100) / total)}%), ${rate} users/s${left}\n`);
  };
}

/** The `cognate load-users` command. */
export async function runLoadUsers(args: readonly string[], config: Config): Promise<void> {
  const options = parseLoadUsersArgs(args);
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    const result = await loadUsers(
      booted.services,
      options,
      progressPrinter(options, (line) => process.stderr.write(line)),
    );
    process.stdout.write(
      `loaded ${result.inserted} users into ${options.poolId} in ${(result.elapsedMs / 1000).toFixed(1)} s ` +
        `(${result.usersPerSecond} users/s)${result.skipped ? `; ${result.skipped} skipped (username taken)` : ''}\n`,
    );
  } finally {
    await booted.close();
  }
}
