import type {
  UserPoolType,
  UserPoolClientType,
  UserStatusType,
  CustomDomainConfigType,
  EmailMfaConfigType,
  SoftwareTokenMfaConfigType,
  WebAuthnConfigurationType,
  RiskConfigurationType,
  UserImportJobStatusType,
  AssetCategoryType,
  ColorSchemeModeType,
  AssetExtensionType,
  LogConfigurationType,
} from '../generated/cognito-idp/shapes.js';
import type { IdentityPool, RoleMapping } from '../generated/cognito-identity/shapes.js';
import type { BulkPublishStatus, CognitoStreams, PushSync } from '../generated/cognito-sync/shapes.js';

/**
 * Narrow storage interfaces, one per aggregate. Operations depend on these, never on SQL; the SQL
 * implementations in `sql/` serve both engines. Every method is scoped by pool so nothing leaks.
 */

/**
 * A pool's configuration as stored: UserPoolType less identity, dates and computed fields, plus the
 * MFA factor settings that only Get/SetUserPoolMfaConfig show (never DescribeUserPool).
 */
export type UserPoolConfig = Omit<
  UserPoolType,
  'Id' | 'Name' | 'CreationDate' | 'LastModifiedDate' | 'Arn' | 'EstimatedNumberOfUsers' | 'Status'
> &
  PoolMfaFactorConfig;

/** The settings of SetUserPoolMfaConfig that have no member in UserPoolType. */
export interface PoolMfaFactorConfig {
  SoftwareTokenMfaConfiguration?: SoftwareTokenMfaConfigType;
  /** Present while email MFA is on. */
  EmailMfaConfiguration?: EmailMfaConfigType;
  /** SMS MFA on or off as SetUserPoolMfaConfig last said; absent: on whenever SmsConfiguration is set. */
  SmsMfaEnabled?: boolean;
  /** SetUserPoolMfaConfig's passkey settings, kept as given. */
  WebAuthnConfiguration?: WebAuthnConfigurationType;
}

export interface UserPoolRecord {
  id: string;
  name: string;
  region: string;
  config: UserPoolConfig;
  createdAt: number;
  updatedAt: number;
}

/** A client's configuration as stored: UserPoolClientType less identity, secret and dates. */
export type UserPoolClientConfig = Omit<
  UserPoolClientType,
  'UserPoolId' | 'ClientId' | 'ClientName' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate'
>;

export interface ClientSecretRecord {
  id: string;
  secret: string;
  createdAt: number;
}

export interface UserPoolClientRecord {
  clientId: string;
  poolId: string;
  name: string;
  config: UserPoolClientConfig;
  /** Clear secrets (sealed by the store at rest). */
  secrets: ClientSecretRecord[];
  createdAt: number;
  updatedAt: number;
}

/** Per-user state that has no column of its own (MFA preferences, pending changes, ...). */
export interface UserExtra {
  mfa?: {
    preferred?: string;
    enabled?: string[];
    /** Older writers' flags, read by src/domain/mfa.ts and folded into `enabled` on the next write. */
    smsEnabled?: boolean;
    totpEnabled?: boolean;
    emailEnabled?: boolean;
    /** The verified TOTP secret, sealed (src/auth/totp.ts); absent until VerifySoftwareToken. */
    totpSecret?: string;
    /** FriendlyDeviceName given to VerifySoftwareToken. */
    totpName?: string;
    /** The last 30-second step whose code was accepted: it and every step before it are spent. */
    totpLastStep?: number;
    /** A secret AssociateSoftwareToken issued and VerifySoftwareToken has not yet confirmed, sealed. */
    totpPending?: string;
  };
  /** Attribute changes waiting for verification (AttributesRequireVerificationBeforeUpdate). */
  pending?: Record<string, string>;
  [key: string]: unknown;
}

export interface UserRecord {
  poolId: string;
  /** The internal username (`cognito:username`); a UUID in email/phone-as-username pools. */
  username: string;
  /** The lookup key: the username lowercased in case-insensitive pools. */
  usernameKey: string;
  sub: string;
  status: UserStatusType;
  enabled: boolean;
  /** Attribute name → value, as Cognito returns them (booleans as "true"/"false"). Includes sub. */
  attributes: Record<string, string>;
  passwordHash: string | null;
  passwordChangedAt: number | null;
  tokensValidAfter: number;
  extra: UserExtra;
  createdAt: number;
  updatedAt: number;
}

/** The attributes ListUsers can filter on, as stored columns. */
export type SearchableField =
  | 'username'
  | 'email'
  | 'phone_number'
  | 'name'
  | 'given_name'
  | 'family_name'
  | 'preferred_username'
  | 'cognito:user_status'
  | 'status'
  | 'sub';

export interface UserFilter {
  field: SearchableField;
  op: '=' | '^=';
  /** Already normalised by the caller (lowercased where the search is case-insensitive). */
  value: string;
}

export interface UserPage {
  users: UserRecord[];
  /** Opaque cursor for the next page, absent on the last page. */
  next?: string;
}

export interface PoolStore {
  create(pool: UserPoolRecord): Promise<void>;
  get(id: string): Promise<UserPoolRecord | undefined>;
  update(pool: UserPoolRecord): Promise<void>;
  /** Deletes the pool and everything in it. */
  delete(id: string): Promise<void>;
  list(limit: number, after?: string): Promise<UserPoolRecord[]>;
}

export interface ClientStore {
  create(client: UserPoolClientRecord): Promise<void>;
  get(poolId: string, clientId: string): Promise<UserPoolClientRecord | undefined>;
  /** Finds a client by ID alone (public operations name only the client). */
  getById(clientId: string): Promise<UserPoolClientRecord | undefined>;
  update(client: UserPoolClientRecord): Promise<void>;
  delete(poolId: string, clientId: string): Promise<void>;
  list(poolId: string, limit: number, after?: string): Promise<UserPoolClientRecord[]>;
}

export type AliasField = 'email' | 'phone_number' | 'preferred_username';

export interface UserStore {
  /** Inserts a user; returns false when the username key is taken. */
  insert(user: UserRecord): Promise<boolean>;
  /**
   * Inserts many users in as few statements as the engine allows (bulk loads); users whose
   * username key is taken are skipped. Returns how many were inserted.
   */
  insertMany(users: readonly UserRecord[]): Promise<number>;
  get(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  /** Which of `usernameKeys` the pool's users hold, in one query (an import's batch). */
  takenUsernameKeys(poolId: string, usernameKeys: readonly string[]): Promise<Set<string>>;
  getBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
  /**
   * Users whose alias attribute equals `value` (normalised). `verifiedOnly` limits email and phone
   * to verified values, as alias sign-in does.
   */
  findByAttribute(poolId: string, field: AliasField, value: string, verifiedOnly: boolean): Promise<UserRecord[]>;
  update(user: UserRecord): Promise<void>;
  /**
   * Writes only the user's `extra` (MFA settings, the last TOTP step, ...), for a change that
   * touches nothing else: the row's indexed columns are not rewritten, so none of the users
   * table's indexes is updated, where {@link update} rewrites an entry in each of them.
   */
  updateExtra(user: UserRecord): Promise<void>;
  /**
   * Spends a TOTP step: writes the user's `extra` as {@link updateExtra} does, where
   * `extra.mfa.totpLastStep` is the step just accepted, only if the stored last step is before it
   * (or there is none), in one statement. Returns whether it wrote: of requests racing with one
   * code, on one node or many, exactly one does, and a step at or before one already spent never
   * does (RFC 6238 §5.2: a code that worked cannot be used again).
   */
  spendTotpStep(user: UserRecord): Promise<boolean>;
  delete(poolId: string, usernameKey: string): Promise<void>;
  list(poolId: string, filter: UserFilter | undefined, limit: number, cursor?: string): Promise<UserPage>;
  /**
   * The user an access token names, and whether the token's refresh-token family (`originJti`) was
   * revoked, in one read: what every operation that takes an access token checks.
   */
  getSignedIn(poolId: string, usernameKey: string, originJti: string): Promise<{ user: UserRecord; familyRevoked: boolean } | undefined>;
  /** Exact. */
  count(poolId: string): Promise<number>;
  /** Exact for small pools; for a large one, as cheap an estimate as the engine offers (EstimatedNumberOfUsers). */
  estimatedCount(poolId: string): Promise<number>;
  /**
   * Brings the engine's statistics of the users table up to date after a bulk load, so that
   * {@link estimatedCount} sees the new rows at once rather than when autovacuum next analyzes
   * (PostgreSQL's ANALYZE; SQLite counts instead, and has nothing to refresh).
   */
  refreshStatistics(): Promise<void>;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface GroupStore {
  create(group: GroupRecord): Promise<boolean>;
  get(poolId: string, name: string): Promise<GroupRecord | undefined>;
  update(group: GroupRecord): Promise<void>;
  delete(poolId: string, name: string): Promise<void>;
  list(poolId: string, limit: number, after?: string): Promise<GroupRecord[]>;
  addMember(poolId: string, groupName: string, usernameKey: string): Promise<void>;
  removeMember(poolId: string, groupName: string, usernameKey: string): Promise<void>;
  /** Groups of a user, ordered by name. */
  groupsOf(poolId: string, usernameKey: string, limit?: number, after?: string): Promise<GroupRecord[]>;
  /** Members of a group, ordered by username key. */
  members(poolId: string, groupName: string, limit: number, after?: string): Promise<UserRecord[]>;
}

/** What a code is for; `mfa` is the SMS or email code of an MFA challenge, `sign-in:<factor>` a passwordless first factor's (EMAIL_OTP, SMS_OTP). */
export type CodePurpose = 'signup' | 'forgot-password' | 'mfa' | `verify:${string}` | `sign-in:${string}`;

export interface CodeRecord {
  id: string;
  poolId: string;
  usernameKey: string;
  purpose: CodePurpose;
  codeHash: string;
  expiresAt: number;
  attempts: number;
  createdAt: number;
}

export interface CodeStore {
  /** Stores a code, replacing any earlier code of the same purpose for the user. */
  put(code: CodeRecord): Promise<void>;
  get(poolId: string, usernameKey: string, purpose: CodePurpose): Promise<CodeRecord | undefined>;
  /**
   * Counts one attempt at the code, in one statement, unless it has had `limit` already: false
   * then, or when the code is gone. Reserving before the comparison keeps racing guesses within
   * the limit.
   */
  reserveAttempt(id: string, limit: number): Promise<boolean>;
  /** Deletes the code; false when it was already gone (a racing request used or burnt it). */
  delete(id: string): Promise<boolean>;
  deleteForUser(poolId: string, usernameKey: string): Promise<void>;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  originJti: string;
  authTime: number;
  deviceKey: string | null;
  scopes: string[];
  expiresAt: number;
  revokedAt: number | null;
  replacedAt: number | null;
  createdAt: number;
}

export interface RefreshTokenStore {
  insert(token: RefreshTokenRecord): Promise<void>;
  get(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks a rotated token replaced; returns false when it was already replaced (reuse). */
  markReplaced(tokenHash: string, at: number): Promise<boolean>;
  /** Revokes every token of the family that began with `originJti`. */
  revokeFamily(originJti: string, at: number): Promise<void>;
  revokeAllForUser(poolId: string, usernameKey: string, at: number): Promise<void>;
  isFamilyRevoked(originJti: string): Promise<boolean>;
  deleteForUser(poolId: string, usernameKey: string): Promise<void>;
}

export interface SigningKeyRecord {
  kid: string;
  poolId: string;
  purpose: 'id' | 'access';
  /** PKCS#8 PEM in clear (sealed by the store at rest). */
  privateKey: string;
  publicJwk: Record<string, string>;
  status: 'active' | 'retired';
  createdAt: number;
}

export interface SigningKeyStore {
  insert(key: SigningKeyRecord): Promise<void>;
  list(poolId: string): Promise<SigningKeyRecord[]>;
  /** The pool's key IDs (no key material): a cheap check for keys another node added. */
  kids(poolId: string): Promise<string[]>;
  /** Sets the status of the pool's keys named in `kids` (rotation retires the previous ones). */
  setStatus(poolId: string, kids: readonly string[], status: SigningKeyRecord['status']): Promise<void>;
  deleteForPool(poolId: string): Promise<void>;
}

/**
 * A message of the local inbox. The code, subject and message are stored sealed under the master
 * key (they hold live codes and temporary passwords); the store opens them for the admin's reads.
 */
export interface InboxMessage {
  id: number;
  poolId: string;
  username: string;
  destination: string;
  medium: 'EMAIL' | 'SMS';
  purpose: string;
  code: string | null;
  subject: string | null;
  message: string;
  createdAt: number;
  /** When the code or temporary password in it stops working; housekeeping deletes it then. */
  expiresAt: number;
}

export interface InboxStore {
  add(message: Omit<InboxMessage, 'id'>): Promise<void>;
  /** Newest first. A message sealed under another master key is left out. */
  list(query: { poolId?: string; username?: string; limit?: number }): Promise<InboxMessage[]>;
  /** Deletes the messages whose code has expired by `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** Whether the action succeeded, failed, or is under way (a challenge answered next): Cognito's EventResponse. */
export type AuditOutcome = 'Pass' | 'Fail' | 'InProgress';

/**
 * One audit event: who did what, when, where from, and the outcome. It never carries a secret (no
 * password, code, token, secret hash or client secret): only names and identifiers.
 */
export interface AuditEvent {
  /** When, in epoch milliseconds. */
  at: number;
  /** What: `SignIn`, `Lockout`, or the operation's name (`ChangePassword`, `AdminCreateUser`, ...). */
  event: string;
  outcome: AuditOutcome;
  poolId: string | null;
  clientId: string | null;
  /** Who, for SigV4 calls: the admin access key ID. */
  actor: string | null;
  /** Who, for a user's own actions (or the user an admin acted on): as the user was named. */
  username: string | null;
  sub: string | null;
  sourceIp: string | null;
  requestId: string | null;
  /** The error's `__type`, when the outcome is Fail. */
  error: string | null;
  /** A few named, non-secret identifiers: the flow, the challenge, a group's or provider's name. */
  detail: Readonly<Record<string, string>> | null;
  /** The opaque ID AdminListUserAuthEvents shows as EventId (null on events stored before it existed). */
  eventId: string | null;
}

/** A user's or an admin's verdict on an auth event (AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback). */
export interface AuditEventFeedback {
  value: 'Valid' | 'Invalid';
  /** Who gave it: `Admin` or `User`. */
  provider: string;
  /** When, in epoch milliseconds. */
  at: number;
}

/** An audit event as read back: with its sequence number and any feedback. */
export type StoredAuditEvent = AuditEvent & { id: number; feedback: AuditEventFeedback | null };

/** Which of a user's audit events to read: see {@link AuditEventStore.listForUser}. */
export interface UserEventQuery {
  poolId: string;
  usernames: readonly string[];
  sub: string;
  events: readonly string[];
  beforeId?: number;
  limit: number;
}

export interface AuditEventStore {
  add(event: AuditEvent): Promise<void>;
  /** Newest first: a pool's events, optionally one user's. */
  list(query: { poolId: string; username?: string; limit?: number }): Promise<StoredAuditEvent[]>;
  /**
   * Newest first: one user's events of the given kinds, the user named by any of `usernames` (as
   * typed: username or alias) or by `sub`; `beforeId` continues a page.
   */
  listForUser(query: UserEventQuery): Promise<StoredAuditEvent[]>;
  /** The event with this EventId in the pool. */
  getByEventId(poolId: string, eventId: string): Promise<StoredAuditEvent | undefined>;
  /** Records the feedback on an event, replacing any earlier one. */
  setFeedback(poolId: string, eventId: string, feedback: AuditEventFeedback): Promise<void>;
  /** Deletes events older than `before`; returns how many. */
  prune(before: number): Promise<number>;
}

/** One trigger invocation as remembered: never the event or the answer, which can hold secrets. */
export interface TriggerInvocation {
  at: number;
  functionArn: string;
  /** e.g. `PreSignUp_SignUp`; null when invoked outside a trigger. */
  triggerSource: string | null;
  /** Where the function ran: the `functions` setting's kind, or `none` when nothing maps it. */
  mode: 'module' | 'url' | 'lambdaEndpoint' | 'none';
  durationMs: number;
  /** `ok`, `handler-error`, `timeout`, `failed` or `invalid` (src/triggers/outcome.ts). */
  outcome: string;
  /** The handler's error message, or why it failed or was invalid. */
  detail: string | null;
  /** What a module handler printed, trimmed. */
  logs: string | null;
}

export interface TriggerInvocationStore {
  add(poolId: string, invocation: TriggerInvocation): Promise<void>;
  /** The pool's newest invocations first (by time, then by insertion). */
  list(poolId: string, limit: number): Promise<TriggerInvocation[]>;
  /** Deletes all but the pool's newest `keep` invocations. */
  trim(poolId: string, keep: number): Promise<void>;
}

/** A counter as stored: its count and its time (the window start of `hit`, the last hit of `hitSliding`). */
export interface RateCounterState {
  count: number;
  at: number;
}

/** The lockout a counter follows in {@link RateCounterStore.reserve}. */
export interface LockoutRule {
  /**
   * `lockMs[n]`: how long a counter at count n is locked, from its last counted attempt; the last
   * entry holds for every higher count. Never decreasing.
   */
  readonly lockMs: readonly number[];
  /** Quiet time after the lock ends (after the last attempt, when there was no lock) that forgets the count. */
  readonly idleMs: number;
}

export interface RateCounterStore {
  /** Counts one hit in the fixed window; returns the count including this hit. */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /**
   * Counts one hit in a window that slides with the hits: the count restarts at 1 when the previous
   * hit is `idleMs` or more before `now`, and the counter's time becomes `now`. Returns the count
   * including this hit. Sign-in lockouts and single-use markers keep their state this way.
   */
  hitSliding(key: string, idleMs: number, now: number): Promise<number>;
  /**
   * Takes a single-use marker: creates the counter at 1, its time `now`, unless it exists, in one
   * statement. Returns whether it did: however many callers race, on one node or many, one does.
   * A marker taken before the work it guards is given up with {@link reset} when that work fails.
   */
  claim(key: string, now: number): Promise<boolean>;
  /**
   * Reserves one attempt under a lockout, in one atomic statement, before the attempt is evaluated:
   * while the counter is locked (its last counted attempt is less than `rule.lockMs` of its count
   * before `now`) nothing is counted and the answer is undefined; otherwise the attempt is counted
   * (restarting at 1 once `rule.idleMs` have passed since the lock ended) and its time becomes
   * `now`. Returns the count including this attempt. However many callers race, on one node or
   * many, no more attempts are counted than the rule lets through.
   */
  reserve(key: string, rule: LockoutRule, now: number): Promise<number | undefined>;
  /**
   * Gives back the first `count` attempts of a counter, as a success does with the failures before
   * it and its own reservation; attempts reserved after them stay counted. At zero the counter is
   * deleted.
   */
  giveBack(key: string, count: number): Promise<void>;
  /** Reads a counter without counting. */
  peek(key: string): Promise<RateCounterState | undefined>;
  /** Forgets a counter. */
  reset(key: string): Promise<void>;
  /** Deletes counters last touched before `before` (epoch ms); returns how many. */
  prune(before: number): Promise<number>;
}

export interface SettingStore {
  get(key: string): Promise<string | undefined>;
  /** Sets the value only if none is set yet; returns the value in force. */
  setIfAbsent(key: string, value: string): Promise<string>;
  /** Sets the value, replacing any; readiness writes with it to prove the database takes writes. */
  put(key: string, value: string): Promise<void>;
}

export type DeviceStatus = 'unconfirmed' | 'confirmed';
export type DeviceRememberedStatus = 'remembered' | 'not_remembered';

/**
 * A device of a user (remembered devices). Sign-in creates it `unconfirmed` (NewDeviceMetadata);
 * ConfirmDevice stores its SRP verifier and starts tracking it. Only confirmed devices are visible
 * to the device operations.
 */
export interface DeviceRecord {
  poolId: string;
  usernameKey: string;
  /** `<region>_<uuid>`. */
  deviceKey: string;
  /** `-` and 8 alphanumerics; the SRP "pool name" of device authentication. */
  deviceGroupKey: string;
  status: DeviceStatus;
  rememberedStatus: DeviceRememberedStatus;
  /** DeviceName of ConfirmDevice (the `device_name` attribute). */
  name: string | null;
  /** Source IP of the last sign-in with the device (the `last_ip_used` attribute). */
  lastIpUsed: string | null;
  /** The SRP salt and verifier, sealed by src/auth/devices.ts; null until ConfirmDevice. */
  sealedVerifier: string | null;
  createdAt: number;
  lastModifiedAt: number;
  /** Whole seconds, as Cognito reports it. */
  lastAuthenticatedAt: number | null;
}

/** Which of a user's devices a listing returns; every device when a member is absent. */
export interface DeviceFilter {
  status?: DeviceStatus;
  rememberedStatus?: DeviceRememberedStatus;
}

export interface DeviceStore {
  insert(device: DeviceRecord): Promise<void>;
  get(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined>;
  /** A user's devices in device-key order, `limit` at a time after the key `after`. */
  listForUser(poolId: string, usernameKey: string, limit: number, after?: string, filter?: DeviceFilter): Promise<DeviceRecord[]>;
  /**
   * Saves a device (its user and creation date never change). With `expectedStatus`, only while
   * the stored device still has that status. Returns whether a device was saved.
   */
  update(device: DeviceRecord, expectedStatus?: DeviceStatus): Promise<boolean>;
  delete(poolId: string, deviceKey: string): Promise<void>;
  deleteForUser(poolId: string, usernameKey: string): Promise<void>;
  /** Forgets a user's unconfirmed devices created before `before`; returns how many. */
  deleteUnconfirmedBefore(poolId: string, usernameKey: string, before: number): Promise<number>;
}

/**
 * A user's passkey (WebAuthn credential), registered by CompleteWebAuthnRegistration. The public
 * key is not a secret; the sign counter only moves forward (a counter that goes back reveals a
 * cloned authenticator).
 */
export interface WebAuthnCredentialRecord {
  poolId: string;
  /** The credential ID, base64url as the authenticator gave it; unique in the pool. */
  credentialId: string;
  usernameKey: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  signCount: number;
  /** The relying party ID the credential was registered for. */
  rpId: string;
  friendlyName: string;
  /** `platform` or `cross-platform`, when the browser said. */
  attachment: string | null;
  transports: string[];
  createdAt: number;
}

export interface WebAuthnCredentialStore {
  /** Registers a credential; false when its ID is already registered in the pool. */
  insert(credential: WebAuthnCredentialRecord): Promise<boolean>;
  get(poolId: string, credentialId: string): Promise<WebAuthnCredentialRecord | undefined>;
  /** A user's credentials in credential-ID order, `limit` at a time after the ID `after`. */
  listForUser(poolId: string, usernameKey: string, limit: number, after?: string): Promise<WebAuthnCredentialRecord[]>;
  countForUser(poolId: string, usernameKey: string): Promise<number>;
  /**
   * Moves the sign counter from `expected` to `next` in one statement; false when another sign-in
   * moved it first (or the credential is gone), so a replayed assertion cannot pass twice.
   */
  advanceSignCount(poolId: string, credentialId: string, expected: number, next: number): Promise<boolean>;
  /** Deletes one of the user's credentials; false when the user has no such credential. */
  delete(poolId: string, usernameKey: string, credentialId: string): Promise<boolean>;
}

export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

/** An OAuth 2.0 resource server of a pool and the custom scopes it defines. */
export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScope[];
  createdAt: number;
  updatedAt: number;
}

export interface ResourceServerStore {
  /** Inserts the server; false when the pool already has one with that identifier. */
  create(server: ResourceServerRecord): Promise<boolean>;
  get(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined>;
  /** Replaces the name and scopes; false when the server no longer exists. */
  update(server: ResourceServerRecord): Promise<boolean>;
  /** Returns whether a server was deleted. */
  delete(poolId: string, identifier: string): Promise<boolean>;
  /** The pool's servers in identifier order, `limit` at a time after the identifier `after`. */
  list(poolId: string, limit: number, after?: string): Promise<ResourceServerRecord[]>;
}

/** A terms document of an app client: where its links point, by managed-login language. */
export interface TermsRecord {
  poolId: string;
  termsId: string;
  clientId: string;
  /** `terms-of-use` or `privacy-policy`. */
  termsName: string;
  termsSource: string;
  enforcement: string;
  /** Language ID (`cognito:default`, `cognito:french`, ...) → URL. */
  links: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface TermsStore {
  /** Inserts the document; false when its client already has one of that name. */
  create(terms: TermsRecord): Promise<boolean>;
  get(poolId: string, termsId: string): Promise<TermsRecord | undefined>;
  /** The client's documents (at most one of each name). */
  listForClient(poolId: string, clientId: string): Promise<TermsRecord[]>;
  /**
   * Replaces the name, source, enforcement and links: `missing` when the document is gone,
   * `exists` when its client already has another document of the new name.
   */
  update(terms: TermsRecord): Promise<'updated' | 'missing' | 'exists'>;
  /** Returns whether a document was deleted. */
  delete(poolId: string, termsId: string): Promise<boolean>;
  /** The pool's documents in ID order, `limit` at a time after the ID `after`. */
  list(poolId: string, limit: number, after?: string): Promise<TermsRecord[]>;
}

export interface LogDeliveryConfigurationStore {
  /** The pool's log configurations; undefined when none were ever set. */
  get(poolId: string): Promise<LogConfigurationType[] | undefined>;
  /** Replaces the pool's log configurations. */
  put(poolId: string, configurations: readonly LogConfigurationType[], at: number): Promise<void>;
}

/** A secondary replica of a pool: a Region the pool is (nominally) replicated to. */
export interface UserPoolReplicaRecord {
  poolId: string;
  regionName: string;
  status: 'ACTIVE' | 'INACTIVE';
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface UserPoolReplicaStore {
  /**
   * Inserts the replica unless the pool already has `limit` replicas or one in its Region:
   * `created`, `exists` or `limit`, decided in one transaction.
   */
  create(replica: UserPoolReplicaRecord, limit: number): Promise<'created' | 'exists' | 'limit'>;
  get(poolId: string, regionName: string): Promise<UserPoolReplicaRecord | undefined>;
  /** The pool's replicas in Region order. */
  list(poolId: string): Promise<UserPoolReplicaRecord[]>;
  /** The Regions of the replicas of each of the pools, in Region order; pools without any are absent. */
  regionsOf(poolIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Sets the status; false when the replica is gone. */
  setStatus(poolId: string, regionName: string, status: UserPoolReplicaRecord['status'], at: number): Promise<boolean>;
  /** Deletes the replica only while it has `status`; returns whether it was deleted. */
  deleteIf(poolId: string, regionName: string, status: UserPoolReplicaRecord['status']): Promise<boolean>;
}

/** A Cognito prefix domain (`<prefix>.auth.<region>.amazoncognito.com`) or a custom domain (an FQDN). */
export type DomainKind = 'prefix' | 'custom';

/** A user pool domain, the host of managed login and the OAuth 2.0 endpoints. */
export interface DomainRecord {
  /** The prefix alone for prefix domains, the fully-qualified name for custom domains. */
  domain: string;
  poolId: string;
  kind: DomainKind;
  /** CustomDomainConfig as given (CertificateArn, SecurityPolicy); null for prefix domains. */
  customDomainConfig: CustomDomainConfigType | null;
  /** 1: hosted UI (classic), 2: managed login. */
  managedLoginVersion: number;
  /** The CloudFront host name AWS would report for the domain. */
  cloudFrontDistribution: string;
  /** DomainDescription.Version: the time of the last change as `yyyyMMddHHmmss`. */
  version: string;
  createdAt: number;
  updatedAt: number;
}

export interface DomainStore {
  /**
   * Inserts a domain; returns false when the name is taken (by any pool) or the pool already has a
   * domain of that kind.
   */
  create(domain: DomainRecord): Promise<boolean>;
  /** The domain of that name in any pool. */
  get(domain: string): Promise<DomainRecord | undefined>;
  /** The pool's domains (at most one of each kind). */
  listForPool(poolId: string): Promise<DomainRecord[]>;
  update(domain: DomainRecord): Promise<void>;
  delete(poolId: string, domain: string): Promise<void>;
}

/** The kinds of upstream identity provider a pool can federate with (IdentityProviderTypeType). */
export type IdentityProviderKind = 'SAML' | 'OIDC' | 'Google' | 'Facebook' | 'LoginWithAmazon' | 'SignInWithApple';

/** An upstream identity provider of a pool (federation). */
export interface IdentityProviderRecord {
  poolId: string;
  /** ProviderName; unique in the pool. */
  name: string;
  type: IdentityProviderKind;
  /** ProviderDetails as Cognito returns them (client_secret and private keys in clear; sealed at rest). */
  details: Record<string, string>;
  /** AttributeMapping: user pool attribute → upstream attribute or claim. */
  attributeMapping: Record<string, string>;
  /** IdpIdentifiers (for `idp_identifier` and email-domain routing). */
  idpIdentifiers: string[];
  createdAt: number;
  updatedAt: number;
}

export interface IdentityProviderStore {
  /** Inserts the provider; false when the pool already has one of that name or a taken identifier. */
  create(provider: IdentityProviderRecord): Promise<boolean>;
  get(poolId: string, name: string): Promise<IdentityProviderRecord | undefined>;
  /** The provider of the pool that lists `identifier` in its IdpIdentifiers. */
  getByIdentifier(poolId: string, identifier: string): Promise<IdentityProviderRecord | undefined>;
  /** Saves details, mapping and identifiers; false when the provider no longer exists. */
  update(provider: IdentityProviderRecord): Promise<boolean>;
  delete(poolId: string, name: string): Promise<boolean>;
  /** The pool's providers in name order, `limit` at a time after the name `after`. */
  list(poolId: string, limit: number, after?: string): Promise<IdentityProviderRecord[]>;
}

/**
 * An upstream identity linked to a user of the pool (AdminLinkProviderForUser): when the provider
 * asserts this identity, the user signs in as `usernameKey` instead of a `<Provider>_<id>` user.
 */
export interface LinkedIdentityRecord {
  poolId: string;
  providerName: string;
  /** ProviderAttributeName: `Cognito_Subject` (the upstream user ID), or a SAML attribute's name. */
  attributeName: string;
  /** ProviderAttributeValue: the upstream user ID, or that attribute's value. */
  attributeValue: string;
  /** The native user the identity signs in as. */
  usernameKey: string;
  createdAt: number;
}

export interface LinkedIdentityStore {
  /** Links the identity; false when it is already linked (to any user of the pool). */
  link(link: LinkedIdentityRecord): Promise<boolean>;
  /** The link of one upstream identity. */
  find(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<LinkedIdentityRecord | undefined>;
  /** The attribute names the pool's links to a provider use (`Cognito_Subject` and any SAML attributes). */
  attributeNames(poolId: string, providerName: string): Promise<string[]>;
  /** A user's links, in the order they were made. */
  listForUser(poolId: string, usernameKey: string): Promise<LinkedIdentityRecord[]>;
  /** Removes one link; returns whether there was one. */
  unlink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<boolean>;
  /** Removes every link to the user (deleting the user does this too). */
  deleteForUser(poolId: string, usernameKey: string): Promise<void>;
}

/** The content types a managed-login logo may have (PNG or JPEG, as Cognito accepts). */
export type LogoContentType = 'image/png' | 'image/jpeg';

/**
 * A pool's classic hosted-UI branding (SetUICustomization): for one app client, or the pool's
 * default under the client ID `ALL`. The logo's bytes are read on their own (`getLogo`) so a page
 * that only needs the CSS does not load them.
 */
export interface UiCustomizationRecord {
  poolId: string;
  /** An app client ID, or `ALL` for the pool's default. */
  clientId: string;
  /** CSS of Cognito's `*-customizable` classes, checked when it was set; null when none was given. */
  css: string | null;
  /** The logo's content type; null without a logo. */
  logoType: LogoContentType | null;
  /** A digest of the logo's bytes (the cache version of its URL); null without a logo. */
  logoDigest: string | null;
  /** CSSVersion: the time of the last change as `yyyyMMddHHmmss`. */
  cssVersion: string;
  createdAt: number;
  updatedAt: number;
}

export interface UiCustomizationLogo {
  contentType: LogoContentType;
  digest: string;
  bytes: Buffer;
}

/**
 * A pool's threat-protection settings (SetRiskConfiguration): for one app client, or the pool's
 * default under the client ID `ALL`. `config` holds the members that were set, as the API gave them.
 */
export interface RiskConfigurationRecord {
  poolId: string;
  /** An app client ID, or `ALL` for the pool's default. */
  clientId: string;
  config: Pick<
    RiskConfigurationType,
    'CompromisedCredentialsRiskConfiguration' | 'AccountTakeoverRiskConfiguration' | 'RiskExceptionConfiguration'
  >;
  updatedAt: number;
}

export interface RiskConfigurationStore {
  /** Inserts or replaces the configuration of (pool, client). */
  put(record: RiskConfigurationRecord): Promise<void>;
  get(poolId: string, clientId: string): Promise<RiskConfigurationRecord | undefined>;
  delete(poolId: string, clientId: string): Promise<void>;
}

/** One image of a managed login branding style, without its bytes. */
export interface ManagedLoginAssetRecord {
  category: AssetCategoryType;
  colorMode: ColorSchemeModeType;
  extension: AssetExtensionType;
  resourceId: string | null;
  /** A digest of the bytes (the cache version of the asset's URL). */
  digest: string;
}

export interface ManagedLoginAssetWithBytes extends ManagedLoginAssetRecord {
  bytes: Buffer;
}

/**
 * A managed login branding style (CreateManagedLoginBranding), assigned to one app client of a
 * pool. `settings` is the Settings document as given (merged across updates); `assets` are the
 * images' descriptions, whose bytes are read on their own.
 */
export interface ManagedLoginBrandingRecord {
  id: string;
  poolId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  settings: Record<string, unknown> | null;
  assets: ManagedLoginAssetRecord[];
  createdAt: number;
  updatedAt: number;
}

export interface ManagedLoginBrandingStore {
  /**
   * Stores a new style with its assets; false (and nothing stored) when the client already has
   * one, which the store's unique index decides, so two racing creates end with one style.
   */
  create(record: ManagedLoginBrandingRecord, assets: readonly ManagedLoginAssetWithBytes[]): Promise<boolean>;
  /**
   * Saves the style's fields and its assets: `assets` are inserted or replace the stored ones of
   * the same category and colour mode; with `replaceAll`, every other asset goes.
   */
  update(record: ManagedLoginBrandingRecord, assets: readonly ManagedLoginAssetWithBytes[], replaceAll: boolean): Promise<void>;
  get(poolId: string, id: string): Promise<ManagedLoginBrandingRecord | undefined>;
  getByClient(poolId: string, clientId: string): Promise<ManagedLoginBrandingRecord | undefined>;
  /** Every asset of a style with its bytes, in category and colour mode order. */
  assetsWithBytes(poolId: string, id: string): Promise<ManagedLoginAssetWithBytes[]>;
  /** One asset with its bytes. */
  getAsset(poolId: string, id: string, category: string, colorMode: string): Promise<ManagedLoginAssetWithBytes | undefined>;
  /** Returns whether a style was deleted; its assets go with it. */
  delete(poolId: string, id: string): Promise<boolean>;
}

export interface UiCustomizationStore {
  /** Inserts or replaces the customization of (pool, client); `logo` replaces the stored logo (null removes it). */
  put(record: UiCustomizationRecord, logo: Buffer | null): Promise<void>;
  get(poolId: string, clientId: string): Promise<UiCustomizationRecord | undefined>;
  /** The logo bytes of (pool, client), when it has a logo. */
  getLogo(poolId: string, clientId: string): Promise<UiCustomizationLogo | undefined>;
  /** Returns whether a customization was deleted. */
  delete(poolId: string, clientId: string): Promise<boolean>;
}

/** An OAuth 2.0 authorization code (RFC 6749 §4.1.2), stored by hash until it expires. */
export interface AuthorizationCodeRecord {
  /** SHA-256 hex of the code. */
  codeHash: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  /** The redirect URI of the authorization request; the token request must repeat it. */
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  /** PKCE (RFC 7636): the challenge and its method, when the request sent one. */
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | null;
  /** When the user signed in (ms). */
  authTime: number;
  /** The `origin_jti` of the tokens the code gives, so a replay can revoke them. */
  originJti: string;
  expiresAt: number;
  /** When the code was exchanged; null until then. */
  consumedAt: number | null;
  createdAt: number;
}

export interface AuthorizationCodeStore {
  insert(code: AuthorizationCodeRecord): Promise<void>;
  get(codeHash: string): Promise<AuthorizationCodeRecord | undefined>;
  /** Marks the code spent; true only for the one call that spent it (atomic across nodes). */
  consume(codeHash: string, at: number): Promise<boolean>;
  /** Deletes codes that expired before `before` (epoch ms); returns how many. */
  deleteExpired(before: number): Promise<number>;
}

/** An identity pool's settings as stored: IdentityPool less its ID, name and tags. */
export type IdentityPoolConfig = Omit<IdentityPool, 'IdentityPoolId' | 'IdentityPoolName' | 'IdentityPoolTags'>;

/** An identity pool (Cognito Identity), which exchanges sign-ins for AWS credentials. */
export interface IdentityPoolRecord {
  /** `<region>:<uuid>`. */
  id: string;
  name: string;
  config: IdentityPoolConfig;
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface IdentityPoolStore {
  create(pool: IdentityPoolRecord): Promise<void>;
  get(id: string): Promise<IdentityPoolRecord | undefined>;
  /** Saves name, settings and tags; false when the pool no longer exists. */
  update(pool: IdentityPoolRecord): Promise<boolean>;
  /** Returns whether a pool was deleted. */
  delete(id: string): Promise<boolean>;
  /** The pools in ID order, `limit` at a time after the ID `after`. */
  list(limit: number, after?: string): Promise<IdentityPoolRecord[]>;
  /** The pool's roles and role mappings; undefined when there is no such pool. */
  roles(id: string): Promise<IdentityPoolRoles | undefined>;
  /** Replaces the pool's roles and role mappings; false when the pool no longer exists. */
  setRoles(id: string, roles: IdentityPoolRoles, at: number): Promise<boolean>;
}

/**
 * An identity pool's roles as SetIdentityPoolRoles stored them: `authenticated` and
 * `unauthenticated` role ARNs, and role mappings by provider name.
 */
export interface IdentityPoolRoles {
  Roles?: Record<string, string>;
  RoleMappings?: Record<string, RoleMapping>;
}

/**
 * A user import job (CreateUserImportJob): its status and counts, and how its CSV is uploaded. The
 * upload URL's token is kept only as a hash; the URL itself is sealed at rest by the store, since
 * DescribeUserImportJob and ListUserImportJobs show it again.
 */
export interface UserImportJobRecord {
  poolId: string;
  /** `import-<random>`. */
  jobId: string;
  jobName: string;
  cloudWatchLogsRoleArn: string;
  status: UserImportJobStatusType;
  /** SHA-256 hex of the upload token. */
  uploadTokenHash: string;
  /** The PreSignedUrl, in clear. */
  preSignedUrl: string;
  /** When the upload URL stops working (epoch ms). */
  uploadExpiresAt: number;
  importedUsers: number;
  skippedUsers: number;
  failedUsers: number;
  completionMessage: string | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/** Where a page of a pool's import jobs starts: after this job in creation order. */
export interface UserImportJobCursor {
  createdAt: number;
  jobId: string;
}

export interface UserImportJobStore {
  insert(job: UserImportJobRecord): Promise<void>;
  get(poolId: string, jobId: string): Promise<UserImportJobRecord | undefined>;
  /** A pool's jobs in creation order, `limit` at a time after `after`. */
  list(poolId: string, limit: number, after?: UserImportJobCursor): Promise<UserImportJobRecord[]>;
  /**
   * Saves the job's status, counts, dates and message, only while its stored status is one of
   * `from` (so a stop and the import's own progress cannot overwrite each other). Returns whether
   * it was saved.
   */
  update(job: UserImportJobRecord, from: readonly UserImportJobStatusType[]): Promise<boolean>;
  /** Keeps the uploaded CSV (replacing an earlier upload) while the job is still Created; false otherwise. */
  putCsv(poolId: string, jobId: string, csv: string): Promise<boolean>;
  /** The uploaded CSV; undefined when nothing was uploaded. */
  getCsv(poolId: string, jobId: string): Promise<string | undefined>;
}

/** A login linked to an identity: a `Logins` key and the subject its token asserts (`sub`). */
export interface IdentityLogin {
  providerName: string;
  subject: string;
}

/** An identity of an identity pool: a guest when it has no logins. */
export interface IdentityRecord {
  /** `<region>:<uuid>`. */
  id: string;
  identityPoolId: string;
  /** In provider-name order. */
  logins: IdentityLogin[];
  createdAt: number;
  updatedAt: number;
}

export interface IdentityStore {
  /**
   * Stores the identity with its logins, atomically; false, storing nothing, when one of its logins
   * already belongs to an identity of the pool (the caller lost a race and looks it up again).
   */
  create(identity: IdentityRecord): Promise<boolean>;
  get(id: string): Promise<IdentityRecord | undefined>;
  /** The identity of the pool that a provider's subject signs in as. */
  findByLogin(identityPoolId: string, login: IdentityLogin): Promise<IdentityRecord | undefined>;
  /** The pool's identities in ID order, `limit` at a time after the ID `after`. */
  list(identityPoolId: string, limit: number, after?: string): Promise<IdentityRecord[]>;
  /**
   * Links one more login to the identity, stamping it modified at `at`; false when the login
   * belongs to another identity of the pool. Linking a login the identity has is a no-op (true).
   */
  link(identity: Pick<IdentityRecord, 'id' | 'identityPoolId'>, login: IdentityLogin, at: number): Promise<boolean>;
  /** Unlinks one login from the identity, stamping it modified at `at`; false when it had no such login. */
  unlink(id: string, login: IdentityLogin, at: number): Promise<boolean>;
  /**
   * Moves every login of identity `sourceId` to identity `destinationId` of the same pool and
   * deletes the source, atomically, stamping the destination modified at `at`
   * (MergeDeveloperIdentities).
   */
  merge(sourceId: string, destinationId: string, at: number): Promise<void>;
  /** Deletes the identity and its logins; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Deletes every identity of the pool (the pool is being deleted). */
  deleteForPool(identityPoolId: string): Promise<void>;
}

/** An identity pool provider's principal tag map: which claims become the session's principal tags. */
export interface PrincipalTagMapRecord {
  identityPoolId: string;
  /** The provider's name; a user pool's in Cognito's form (`cognito-idp.<region>.amazonaws.com/<poolId>`). */
  providerName: string;
  useDefaults: boolean;
  /** Tag key → the claim whose value the tag takes. */
  principalTags: Record<string, string>;
}

export interface PrincipalTagMapStore {
  get(identityPoolId: string, providerName: string): Promise<PrincipalTagMapRecord | undefined>;
  /** Saves the map, replacing the provider's earlier one. */
  put(map: PrincipalTagMapRecord): Promise<void>;
  /** Deletes every map of the pool (the pool is being deleted). */
  deleteForPool(identityPoolId: string): Promise<void>;
}

/** An API of the gateway stored by `cognate gateway put` (src/domain/gateway.ts checks its definition). */
export interface GatewayApiRecord {
  id: string;
  /** JSON of the definition. */
  definition: string;
  updatedAt: number;
}

export interface GatewayApiStore {
  get(id: string): Promise<GatewayApiRecord | undefined>;
  /** Every stored API, by id. */
  list(): Promise<GatewayApiRecord[]>;
  /** Saves the API, replacing a stored one of its id. */
  put(api: GatewayApiRecord): Promise<void>;
  /** False when none had that id. */
  delete(id: string): Promise<boolean>;
}

/** Where an STS session's credentials came from. */
export type StsSessionSource = 'cognito-identity' | 'web-identity';

/**
 * Temporary credentials Cognate issued for a role (an STS session). The store seals the secret at
 * rest and keeps only a hash of the session token.
 */
export interface StsSessionRecord {
  /** `ASIA` and 16 upper-case letters and digits. */
  accessKeyId: string;
  /** The secret access key, in clear. */
  secretAccessKey: string;
  /** SHA-256 hex of the session token. */
  tokenHash: string;
  roleArn: string;
  sessionName: string;
  /** Who the session is for: the identity ID (GetCredentialsForIdentity) or the web identity token's `sub`. */
  subject: string;
  source: StsSessionSource;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  /** The session's principal tags (`aws:PrincipalTag/<key>` in policy evaluation); empty for none. */
  principalTags: Record<string, string>;
}

export interface StsSessionStore {
  insert(session: StsSessionRecord): Promise<void>;
  /** The session of an access key id; undefined when unknown, swept, or its secret does not open. */
  get(accessKeyId: string): Promise<StsSessionRecord | undefined>;
  /** Revokes the session; false when there is none. */
  revoke(accessKeyId: string): Promise<boolean>;
  /** Deletes sessions that expired before `before` (epoch ms); returns how many. */
  deleteExpired(before: number): Promise<number>;
}

/** An IAM role as stored. Names are unique regardless of case; lookups by name ignore case too. */
export interface IamRoleRecord {
  name: string;
  path: string;
  /** `AROA…`, IAM's form of a role's unique ID. */
  id: string;
  /** `arn:aws:iam::<account>:role<path><name>`. */
  arn: string;
  /** The trust policy document, as the caller sent it. */
  trustPolicy: string;
  description: string | undefined;
  /** Seconds, 3600 to 43200. */
  maxSessionDuration: number;
  createdAt: number;
}

/** An inline policy of a role. */
export interface IamRolePolicyRecord {
  roleName: string;
  policyName: string;
  document: string;
}

/** A customer managed policy; Cognate keeps its one version, the default `v1`. */
export interface IamPolicyRecord {
  name: string;
  path: string;
  /** `ANPA…`. */
  id: string;
  /** `arn:aws:iam::<account>:policy<path><name>`. */
  arn: string;
  document: string;
  description: string | undefined;
  createdAt: number;
}

/** What a role's permissions are made of, for policy evaluation. */
export interface IamRolePolicies {
  readonly inline: readonly IamRolePolicyRecord[];
  readonly attached: readonly IamPolicyRecord[];
}

/** IAM roles, their inline policies, managed policies and attachments. */
/** An IAM SAML provider: an IdP's metadata, under `arn:aws:iam::<account>:saml-provider/<name>`. */
export interface IamSamlProviderRecord {
  name: string;
  arn: string;
  /** IAM's SAMLProviderUUID. */
  uuid: string;
  /** The SAML metadata document, as given. */
  metadata: string;
  createdAt: number;
}

export interface IamStore {
  /** False when a SAML provider of that name (in any case) exists. */
  createSamlProvider(provider: IamSamlProviderRecord): Promise<boolean>;
  getSamlProviderByArn(arn: string): Promise<IamSamlProviderRecord | undefined>;
  /** False when there is none. */
  deleteSamlProviderByArn(arn: string): Promise<boolean>;
  /** False when a role of that name (in any case) exists. */
  createRole(role: IamRoleRecord): Promise<boolean>;
  getRole(name: string): Promise<IamRoleRecord | undefined>;
  getRoleByArn(arn: string): Promise<IamRoleRecord | undefined>;
  /** False when the role is gone. */
  updateTrustPolicy(name: string, document: string): Promise<boolean>;
  /** False when the role is gone. The caller checks first that it has no policies. */
  deleteRole(name: string): Promise<boolean>;
  /** Roles whose path starts with `pathPrefix`, in name order (ignoring case), after the name `after`. */
  listRoles(pathPrefix: string, limit: number, after?: string): Promise<IamRoleRecord[]>;
  /** Adds or replaces a role's inline policy. */
  putRolePolicy(policy: IamRolePolicyRecord): Promise<void>;
  getRolePolicy(roleName: string, policyName: string): Promise<IamRolePolicyRecord | undefined>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<boolean>;
  /** A role's inline policies' names, in name order (ignoring case), after the name `after`. */
  listRolePolicies(roleName: string, limit: number, after?: string): Promise<string[]>;
  /** False when a policy of that name (in any case) exists. */
  createPolicy(policy: IamPolicyRecord): Promise<boolean>;
  getPolicy(arn: string): Promise<IamPolicyRecord | undefined>;
  /** Attaching twice is one attachment. */
  attachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  /** False when the policy was not attached. */
  detachRolePolicy(roleName: string, policyArn: string): Promise<boolean>;
  /** A role's attached policies whose path starts with `pathPrefix`, in ARN order, after the ARN `after`. */
  listAttachedRolePolicies(roleName: string, pathPrefix: string, limit: number, after?: string): Promise<IamPolicyRecord[]>;
  /** Every policy of a role, inline and attached. */
  rolePolicies(roleName: string): Promise<IamRolePolicies>;
}

/** A Cognito Sync dataset of an identity. */
export interface SyncDatasetRecord {
  identityId: string;
  name: string;
  identityPoolId: string;
  /** The dataset's version: raised by one for each UpdateRecords and for its deletion. */
  syncCount: number;
  /** A tombstone: DeleteDataset deleted it, and its sync count carries on if it is created again. */
  deleted: boolean;
  /** Records that have a value (removed ones are not counted). */
  numRecords: number;
  /** Bytes of the keys and values of those records (UTF-8). */
  dataStorage: number;
  lastModifiedBy: string;
  createdAt: number;
  updatedAt: number;
}

/** A record of a dataset; no value once removed (the row stays, so devices learn of the removal). */
export interface SyncRecordEntry {
  key: string;
  value: string | undefined;
  /** The dataset's sync count when the record last changed. */
  syncCount: number;
  lastModifiedBy: string;
  updatedAt: number;
  deviceUpdatedAt: number | undefined;
}

/** A bulk publish of an identity pool's datasets (BulkPublish). */
export interface SyncBulkPublish {
  status: BulkPublishStatus;
  startedAt: number | undefined;
  completedAt: number | undefined;
  failure: string | undefined;
}

/** An identity pool's Cognito Sync settings. */
export interface SyncPoolSettings {
  identityPoolId: string;
  /** Event type (`SyncTrigger`) → Lambda function ARN. */
  events: Record<string, string>;
  pushSync: PushSync | undefined;
  cognitoStreams: CognitoStreams | undefined;
  bulkPublish: SyncBulkPublish;
  /** UpdateRecords calls that changed the pool's data. */
  syncSessions: number;
  updatedAt: number;
}

/** A device registered for push sync. */
export interface SyncDeviceRecord {
  deviceId: string;
  identityPoolId: string;
  identityId: string;
  platform: string;
  token: string;
  createdAt: number;
}

/** Totals over an identity's or a pool's live datasets. */
export interface SyncUsage {
  datasetCount: number;
  dataStorage: number;
  /** The newest dataset change; undefined when there is none. */
  lastModified: number | undefined;
}

/** The change one UpdateRecords makes, applied only if the dataset is still at `fromSyncCount`. */
export interface SyncUpdate {
  /** The dataset as it is to be (its new sync count, totals and stamps). */
  dataset: SyncDatasetRecord;
  /** The dataset's sync count the update was computed from; undefined when it had no row at all. */
  fromSyncCount: number | undefined;
  /** The records the update writes, whole. */
  records: SyncRecordEntry[];
}

export interface SyncStore {
  /** The dataset, tombstones included. */
  dataset(identityId: string, name: string): Promise<SyncDatasetRecord | undefined>;
  /** The identity's live datasets in name order, `limit` at a time after the name `after`. */
  datasets(identityId: string, limit: number, after?: string): Promise<SyncDatasetRecord[]>;
  /** The dataset's records changed after sync count `after`, in key order, `limit` at a time after the key `afterKey`. */
  records(identityId: string, name: string, after: number, limit: number, afterKey?: string): Promise<SyncRecordEntry[]>;
  /** The dataset's records of these keys (absent keys have none). */
  recordsByKey(identityId: string, name: string, keys: readonly string[]): Promise<SyncRecordEntry[]>;
  /**
   * Writes the dataset and its records if the dataset is still at `update.fromSyncCount` (or still
   * has no row); false, writing nothing, when another update came first.
   */
  commitUpdate(update: SyncUpdate): Promise<boolean>;
  /** Marks a sync session token used; false when it had been used already. */
  useToken(tokenId: string, expiresAt: number): Promise<boolean>;
  /** Makes the dataset a tombstone one sync count on, dropping its records and subscriptions; false when there was no live one. */
  deleteDataset(identityId: string, name: string, at: number): Promise<boolean>;
  /** Totals over the identity's live datasets. */
  identityUsage(identityId: string): Promise<SyncUsage>;
  /** Totals over the pool's live datasets. */
  poolUsage(identityPoolId: string): Promise<SyncUsage>;
  settings(identityPoolId: string): Promise<SyncPoolSettings | undefined>;
  putSettings(settings: SyncPoolSettings): Promise<void>;
  /** Counts one more sync session of the pool. */
  countSyncSession(identityPoolId: string, at: number): Promise<void>;
  /** Registers the device unless the identity registered this platform's token before; the stored device either way. */
  registerDevice(device: SyncDeviceRecord): Promise<SyncDeviceRecord>;
  device(deviceId: string): Promise<SyncDeviceRecord | undefined>;
  subscribe(identityPoolId: string, identityId: string, name: string, deviceId: string): Promise<void>;
  unsubscribe(identityId: string, name: string, deviceId: string): Promise<void>;
  /** The devices subscribed to the dataset. */
  subscribers(identityId: string, name: string): Promise<SyncDeviceRecord[]>;
  /**
   * Moves the identity's datasets, records, devices and subscriptions to another identity (the two
   * were merged); a dataset whose name the destination has already becomes `<name>.<sourceId>`,
   * as Cognito names merged datasets.
   */
  moveIdentity(sourceId: string, destinationId: string): Promise<void>;
  /** Every live record of the pool's datasets, by identity, dataset and key (BulkPublish). */
  poolRecords(identityPoolId: string): Promise<Array<{ identityId: string; datasetName: string; record: SyncRecordEntry }>>;
  /** Deletes everything of the identity (it was deleted). */
  deleteIdentity(identityId: string): Promise<void>;
  /** Deletes everything of the pool (it was deleted). */
  deleteForPool(identityPoolId: string): Promise<void>;
  /** Deletes used tokens that expired before `before`; how many. */
  deleteExpiredTokens(before: number): Promise<number>;
}

export interface Store {
  readonly pools: PoolStore;
  readonly clients: ClientStore;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly codes: CodeStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly signingKeys: SigningKeyStore;
  readonly inbox: InboxStore;
  readonly auditEvents: AuditEventStore;
  readonly triggerInvocations: TriggerInvocationStore;
  readonly rateCounters: RateCounterStore;
  readonly settings: SettingStore;
  readonly devices: DeviceStore;
  readonly webAuthnCredentials: WebAuthnCredentialStore;
  readonly domains: DomainStore;
  readonly resourceServers: ResourceServerStore;
  readonly authorizationCodes: AuthorizationCodeStore;
  readonly identityProviders: IdentityProviderStore;
  readonly linkedIdentities: LinkedIdentityStore;
  readonly uiCustomizations: UiCustomizationStore;
  readonly managedLoginBrandings: ManagedLoginBrandingStore;
  readonly riskConfigurations: RiskConfigurationStore;
  readonly identityPools: IdentityPoolStore;
  readonly userImportJobs: UserImportJobStore;
  readonly identities: IdentityStore;
  readonly principalTagMaps: PrincipalTagMapStore;
  readonly stsSessions: StsSessionStore;
  readonly gatewayApis: GatewayApiStore;
  readonly terms: TermsStore;
  readonly logDeliveryConfigurations: LogDeliveryConfigurationStore;
  readonly userPoolReplicas: UserPoolReplicaStore;
  readonly iam: IamStore;
  readonly sync: SyncStore;
  /** Runs `fn` in one transaction with a store bound to it. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
