import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type {
  CodePurpose,
  CodeRecord,
  GroupRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  Store,
  UserFilter,
  UserPoolClientRecord,
  UserPoolRecord,
  UserRecord,
} from '../../src/store/ports.js';

/** A fixed instant past 2^31 seconds' worth of milliseconds, so int8 columns are exercised. */
export const T0 = 1_700_000_000_000;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number, alphabet = ALNUM): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** A short tag that keeps global keys (settings, counters, token hashes) apart between cases. */
export function tag(): string {
  return randomString(10, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

export function poolId(region = 'us-east-1'): string {
  return `${region}_${randomString(9)}`;
}

export function clientId(): string {
  return randomString(26, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

export function pool(id: string, name: string, over: Partial<UserPoolRecord> = {}): UserPoolRecord {
  return {
    id,
    name,
    region: id.split('_')[0]!,
    config: { Policies: { PasswordPolicy: { MinimumLength: 8 } }, MfaConfiguration: 'OFF' },
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function client(pool: string, id: string, name: string, secrets: string[] = []): UserPoolClientRecord {
  return {
    clientId: id,
    poolId: pool,
    name,
    config: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], RefreshTokenValidity: 30 },
    secrets: secrets.map((secret, i) => ({ id: `secret-${i}`, secret, createdAt: T0 + i })),
    createdAt: T0,
    updatedAt: T0,
  };
}

/** A user whose key is the username lowercased (a case-insensitive pool) unless `over` says otherwise. */
export function user(pool: string, username: string, attributes: Record<string, string> = {}, over: Partial<UserRecord> = {}): UserRecord {
  const sub = over.sub ?? randomUUID();
  return {
    poolId: pool,
    username,
    usernameKey: username.toLowerCase(),
    sub,
    status: 'CONFIRMED',
    enabled: true,
    attributes: { sub, ...attributes },
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    passwordChangedAt: T0,
    tokensValidAfter: 0,
    extra: {},
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function group(pool: string, name: string, over: Partial<GroupRecord> = {}): GroupRecord {
  return { poolId: pool, name, description: `${name} group`, roleArn: null, precedence: null, createdAt: T0, updatedAt: T0, ...over };
}

export function code(pool: string, usernameKey: string, purpose: CodePurpose, over: Partial<CodeRecord> = {}): CodeRecord {
  return {
    id: randomUUID(),
    poolId: pool,
    usernameKey,
    purpose,
    codeHash: randomBytes(16).toString('hex'),
    expiresAt: T0 + 3_600_000,
    attempts: 0,
    createdAt: T0,
    ...over,
  };
}

export function refreshToken(
  pool: string,
  usernameKey: string,
  originJti: string,
  over: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord {
  return {
    tokenHash: randomBytes(32).toString('base64url'),
    poolId: pool,
    clientId: 'client',
    usernameKey,
    originJti,
    authTime: T0,
    deviceKey: null,
    scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
    expiresAt: T0 + 30 * 86_400_000,
    revokedAt: null,
    replacedAt: null,
    createdAt: T0,
    ...over,
  };
}

let rsa: { privateKey: string; publicJwk: Record<string, string> } | undefined;

/** One real RSA key pair per process: generating them is the slow part. */
export function rsaKey(): { privateKey: string; publicJwk: Record<string, string> } {
  if (!rsa) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = pair.publicKey.export({ format: 'jwk' });
    rsa = {
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicJwk: { kty: String(jwk.kty), n: String(jwk.n), e: String(jwk.e) },
    };
  }
  return rsa;
}

export function signingKey(
  pool: string,
  purpose: 'id' | 'access',
  createdAt: number,
  over: Partial<SigningKeyRecord> = {},
): SigningKeyRecord {
  const key = rsaKey();
  const kid = randomBytes(12).toString('base64url');
  return {
    kid,
    poolId: pool,
    purpose,
    privateKey: key.privateKey,
    publicJwk: { ...key.publicJwk, kid, alg: 'RS256', use: 'sig' },
    status: 'active',
    createdAt,
    ...over,
  };
}

/** Creates two pools with the same name: every case seeds both and checks one never sees the other. */
export async function twoPools(store: Store, name = 'tenant'): Promise<{ a: string; b: string }> {
  const a = poolId();
  const b = poolId();
  await store.pools.create(pool(a, name));
  await store.pools.create(pool(b, name));
  return { a, b };
}

export interface Walk {
  /** Usernames in the order the pages returned them. */
  usernames: string[];
  /** Pool of every returned user. */
  pools: Set<string>;
  pages: number;
}

/**
 * Walks every page of a ListUsers query with the cursor, checking the page contract on the way:
 * full pages until the last, a cursor on every page but the last, no empty trailing page.
 */
export async function walkUsers(store: Store, pool: string, filter: UserFilter | undefined, limit: number): Promise<Walk> {
  const usernames: string[] = [];
  const pools = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.users.list(pool, filter, limit, cursor);
    pages++;
    if (pages > 100) throw new Error('pagination does not end');
    if (page.next !== undefined && page.users.length !== limit)
      throw new Error(`page ${pages} has a cursor but ${page.users.length} users`);
    if (page.next === undefined && page.users.length === 0 && pages > 1) throw new Error('empty trailing page');
    for (const u of page.users) {
      usernames.push(u.username);
      pools.add(u.poolId);
    }
    cursor = page.next;
  } while (cursor !== undefined);
  return { usernames, pools, pages };
}

/** Orders strings as both engines do for key columns: by UTF-8 bytes (code points). */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * True for the error a unique or primary-key constraint raises, on either engine: SQLite's
 * `UNIQUE constraint failed` and PostgreSQL's SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(String(code));
}
