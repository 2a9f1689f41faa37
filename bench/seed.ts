import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_RECORDS, SyncRecords, type RecordTurn } from './sync-records.js';
import { BENCH_HUNG_FUNCTION, BENCH_TRIGGER_FUNCTION, type Target } from './targets.js';
import { TotpRotation, type TotpUser } from './totp-rotation.js';
import type { Credentials } from './wire.js';
import { totpCode, totpStep } from '../src/crypto/totp.js';
import { cognitoTrustPolicy } from '../src/domain/iam-policy.js';

/**
 * Puts the same data into every target through the AWS SDK, the way an application would: a pool,
 * an app client, N users with permanent passwords, one signed-in session, and (where the target has
 * OAuth) a confidential client for client_credentials. What fails is recorded, not thrown, so the
 * paths that depend on it are reported as n/a with the reason.
 */

/** Something the seeding produced, or why it could not. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string; notImplemented: boolean };

export interface Session {
  accessToken: string;
  refreshToken: string;
  idToken: string;
}

/**
 * An identity pool listing the bench pool's app client, with an authenticated role (seedRole): the
 * signed-in user's identity and its `Logins` (the session's ID token), and a developer's OpenID
 * token for AssumeRoleWithWebIdentity (a day long, so it outlasts the run).
 */
export interface IdentityPoolSeed {
  identityPoolId: string;
  identityId: string;
  logins: Record<string, string>;
  openIdToken: string;
  roleArn: string;
}

export interface ClientCredentials {
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
  scope: string;
}

/** A session of a public app client enabled for OAuth, whose refresh token the token endpoint redeems. */
export interface OAuthSession {
  tokenUrl: URL;
  clientId: string;
  refreshToken: string;
}

/** A second pool whose PreTokenGeneration trigger runs on every sign-in, with its own client and users. */
export interface TriggerPool {
  clientId: string;
  users: string[];
}

/** A pool whose custom auth triggers never answer: each CUSTOM_AUTH sign-in there hangs for 5 s. */
export interface HungPool {
  clientId: string;
  username: string;
}

/** A pool with MFA OPTIONAL and TOTP on, whose users all enrolled an authenticator and prefer it. */
export interface MfaPool {
  clientId: string;
  /** The users and the codes they may answer next, shared by every node's requests. */
  rotation: TotpRotation;
}

/** The seeded identity's own temporary credentials (GetCredentialsForIdentity), as an app holds them. */
export type IdentityCredentials = Required<Credentials>;

/**
 * An API declared to the gateway (`cognate gateway put`) in front of the bench's upstream, with a
 * COGNITO_USER_POOLS route taking the main pool's ID tokens and an AWS_IAM route the identity pool's
 * role may invoke; the session's ID token and the identity's credentials to call them with.
 */
export interface GatewaySeed {
  /** The upstream, called directly by the baseline path. */
  upstreamUrl: string;
  /** On the target: the API's COGNITO_USER_POOLS and AWS_IAM resources, through the gateway. */
  cognitoPath: string;
  iamPath: string;
  /** On the upstream: what the gateway-direct path asks for. */
  directPath: string;
  idToken: string;
  credentials: IdentityCredentials;
}

/** A Cognito Sync dataset of the seeded identity with SYNC_RECORDS records, and its records' sync counts. */
export interface SyncSeed {
  identityPoolId: string;
  identityId: string;
  datasetName: string;
  credentials: IdentityCredentials;
  records: SyncRecords;
}

/** What the selected paths need seeded beyond what every run seeds. */
export interface SeedNeeds {
  /** TOTP users for password-mfa (see totpUsersNeeded); 0 when it is not selected. */
  mfaUsers: number;
  /** The upstream's URL, when a gateway path is selected. */
  upstreamUrl?: string;
  /** Whether a Sync path is selected. */
  sync: boolean;
}

export interface Seed {
  poolId: string;
  clientId: string;
  password: string;
  /** Usernames with permanent passwords: `bench-u-00000`, `bench-u-00001`, ... */
  users: Outcome<string[]>;
  session: Outcome<Session>;
  clientCredentials: Outcome<ClientCredentials>;
  oauthSession: Outcome<OAuthSession>;
  triggerPool: Outcome<TriggerPool>;
  hungPool: Outcome<HungPool>;
  mfaPool: Outcome<MfaPool>;
  identityPool: Outcome<IdentityPoolSeed>;
  gateway: Outcome<GatewaySeed>;
  sync: Outcome<SyncSeed>;
}

export const PASSWORD = 'Bench-Passw0rd!';
export const USER_PREFIX = 'bench-u-';

export function username(index: number): string {
  return `${USER_PREFIX}${String(index).padStart(5, '0')}`;
}

/** True when an error means "this server does not have the operation/feature", not "it broke". */
function isNotImplemented(error: unknown): boolean {
  const { name = '', message = '' } = error as { name?: string; message?: string };
  return /Unsupported|NotImplemented/i.test(name) || /unsupported feature|does not implement|not implemented/i.test(message);
}

function describe(error: unknown): string {
  const { name = 'Error', message = String(error) } = error as { name?: string; message?: string };
  return `${name}: ${message}`.slice(0, 300);
}

async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, reason: describe(error), notImplemented: isNotImplemented(error) };
  }
}

export function sdkClient(target: Target): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: target.url,
    region: target.region,
    credentials: target.credentials,
    maxAttempts: 1,
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

export async function seedUsers(sdk: CognitoIdentityProviderClient, poolId: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => username(i));
  // Server-side password hashing dominates; a few in flight keep both cores busy.
  await eachLimited(names, 8, async (name) => {
    await sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, TemporaryPassword: `Tmp-${PASSWORD}`, MessageAction: 'SUPPRESS' }),
    );
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
  });
  return names;
}

/** Token endpoint from the pool's discovery document; absent when the target has no OAuth endpoints. */
async function tokenEndpoint(target: Target, poolId: string): Promise<URL> {
  const response = await fetch(`${target.url}/${poolId}/.well-known/openid-configuration`);
  const discovery = response.ok ? ((await response.json()) as { token_endpoint?: string }) : {};
  if (!discovery.token_endpoint) {
    throw Object.assign(new Error('no OAuth token endpoint (token_endpoint absent from discovery)'), { name: 'NotImplemented' });
  }
  return new URL(discovery.token_endpoint);
}

async function seedClientCredentials(sdk: CognitoIdentityProviderClient, target: Target, poolId: string): Promise<ClientCredentials> {
  await sdk.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'bench',
      Name: 'bench',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }),
  );
  // Cognito serves OAuth only under a domain; a target without domains may still route by pool.
  await sdk
    .send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `bench-${randomBytes(4).toString('hex')}` }))
    .catch(() => undefined);
  const created = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'bench-m2m',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['bench/read'],
      AllowedOAuthFlowsUserPoolClient: true,
    }),
  );
  const client = created.UserPoolClient;
  if (!client?.ClientId || !client.ClientSecret) throw new Error('CreateUserPoolClient returned no client secret');
  return {
    tokenUrl: await tokenEndpoint(target, poolId),
    clientId: client.ClientId,
    clientSecret: client.ClientSecret,
    scope: 'bench/read',
  };
}

/**
 * Cognito's token endpoint redeems refresh tokens only for clients enabled for OAuth: a second app
 * client with the authorization code flow, signed in once through InitiateAuth.
 */
async function seedOAuthSession(sdk: CognitoIdentityProviderClient, target: Target, poolId: string): Promise<OAuthSession> {
  const created = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'bench-oauth',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://example.com/callback'],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  const clientId = created.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('CreateUserPoolClient returned no client id');
  const signedIn = await sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username(0), PASSWORD } }),
  );
  const refreshToken = signedIn.AuthenticationResult?.RefreshToken;
  if (!refreshToken) throw new Error('InitiateAuth returned no refresh token');
  return { tokenUrl: await tokenEndpoint(target, poolId), clientId, refreshToken };
}

/**
 * The same pool as the main one but with a pre token generation trigger (V1) naming the function
 * Cognate maps to bench/functions/pre-token-generation.mjs: the password-trigger path signs in
 * here, so its difference from the password path is what the trigger costs. It has as many users
 * as the main pool: with fewer than the connections, the same user signs in on several at once,
 * and on two workers their writes to that user's row contend across processes, a cost the
 * password path does not pay. Measured on two workers at 16 connections: with 32 users the trigger
 * seemed to add 1.3–6 ms of CPU per sign-in over four runs; with as many users as the main pool,
 * 0.2–0.7 ms over two.
 */
async function seedTriggerPool(sdk: CognitoIdentityProviderClient, userCount: number): Promise<TriggerPool> {
  const pool = await sdk.send(
    new CreateUserPoolCommand({
      PoolName: `bench-trigger-${Date.now()}`,
      LambdaConfig: { PreTokenGeneration: `arn:aws:lambda:us-east-1:000000000000:function:${BENCH_TRIGGER_FUNCTION}` },
    }),
  );
  const poolId = pool.UserPool?.Id;
  if (!poolId) throw new Error('CreateUserPool returned no pool id');
  const client = await sdk.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench-trigger', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
  );
  const clientId = client.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('CreateUserPoolClient returned no client id');
  const users = await seedUsers(sdk, poolId, userCount);
  // One sign-in proves the trigger runs here (a target that cannot run it fails now, not under load).
  const signedIn = await sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: users[0]!, PASSWORD } }),
  );
  const idToken = signedIn.AuthenticationResult?.IdToken;
  const claims = idToken ? (JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>) : {};
  if (claims['tenant'] !== 'bench') {
    throw Object.assign(new Error('the pre token generation trigger did not run (no tenant claim in the ID token)'), {
      name: 'NotImplemented',
    });
  }
  return { clientId, users };
}

/**
 * A pool whose define, create and verify auth challenge triggers all name the hung function, with a
 * client allowed CUSTOM_AUTH and one user. One sign-in proves it hangs and then fails as Cognito
 * fails when a function times out (UnexpectedLambdaException), not that it answers at once.
 */
async function seedHungPool(sdk: CognitoIdentityProviderClient): Promise<HungPool> {
  const hung = `arn:aws:lambda:us-east-1:000000000000:function:${BENCH_HUNG_FUNCTION}`;
  const pool = await sdk.send(
    new CreateUserPoolCommand({
      PoolName: `bench-hung-${Date.now()}`,
      LambdaConfig: { DefineAuthChallenge: hung, CreateAuthChallenge: hung, VerifyAuthChallengeResponse: hung },
    }),
  );
  const poolId = pool.UserPool?.Id;
  if (!poolId) throw new Error('CreateUserPool returned no pool id');
  const client = await sdk.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench-hung', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'] }),
  );
  const clientId = client.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('CreateUserPoolClient returned no client id');
  const [user] = await seedUsers(sdk, poolId, 1);
  const answer = await sdk
    .send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: clientId, AuthParameters: { USERNAME: user! } }))
    .then(
      () => 'an answer',
      (error: Error) => error.name,
    );
  if (answer !== 'UnexpectedLambdaException') {
    throw Object.assign(new Error(`a sign-in on the hung pool got ${answer}, not UnexpectedLambdaException`), { name: 'NotImplemented' });
  }
  return { clientId, username: user! };
}

/**
 * A pool with MFA OPTIONAL and software-token MFA on (CreateUserPool, then SetUserPoolMfaConfig, as
 * Terraform does), a client for USER_PASSWORD_AUTH, and `count` users who each signed in once,
 * enrolled an authenticator (AssociateSoftwareToken, VerifySoftwareToken) and turned TOTP on
 * (SetUserMFAPreference): every sign-in there is a password and a SOFTWARE_TOKEN_MFA answer.
 */
export async function seedMfaPool(sdk: CognitoIdentityProviderClient, count: number): Promise<MfaPool> {
  const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: `bench-mfa-${Date.now()}` }));
  const poolId = pool.UserPool?.Id;
  if (!poolId) throw new Error('CreateUserPool returned no pool id');
  await sdk.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }),
  );
  const client = await sdk.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bench-mfa', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
  );
  const clientId = client.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('CreateUserPoolClient returned no client id');
  const names = await seedUsers(sdk, poolId, count);
  const users: TotpUser[] = [];
  await eachLimited(names, 8, async (name) => {
    const signedIn = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: name, PASSWORD } }),
    );
    const accessToken = signedIn.AuthenticationResult?.AccessToken;
    if (!accessToken) throw new Error(`InitiateAuth returned no tokens (challenge ${signedIn.ChallengeName ?? 'none'})`);
    const secret = (await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode;
    if (!secret) throw new Error('AssociateSoftwareToken returned no SecretCode');
    const step = totpStep(Date.now());
    await sdk.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(secret, step) }));
    await sdk.send(
      new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    users.push({ username: name, secret, lastStep: step });
  });
  return { clientId, rotation: new TotpRotation(users) };
}

const BENCH_DEVELOPER = 'bench.developer';

/** The API the gateway paths call through, and its stage. */
const GATEWAY_API = 'bench';
const GATEWAY_STAGE = 'prod';
const ROLE_NAME = 'bench-user';

/**
 * The identity pool's authenticated role, defined with IAM's API as a team defines it: Cognito's
 * trust policy for the pool, and a policy allowing `execute-api:Invoke` on the gateway API's IAM
 * route (the gateway-iam path).
 */
async function seedRole(target: Target, identityPoolId: string): Promise<string> {
  const iam = new IAMClient({ endpoint: target.url, region: target.region, credentials: target.credentials, maxAttempts: 1 });
  try {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: cognitoTrustPolicy(identityPoolId, 'authenticated') }),
    );
    const roleArn = created.Role?.Arn;
    if (!roleArn) throw new Error('CreateRole answered no role ARN');
    const account = roleArn.split(':')[4]!;
    const invoke = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:${target.region}:${account}:${GATEWAY_API}/${GATEWAY_STAGE}/GET/iam/*`,
        },
      ],
    };
    await iam.send(
      new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'invoke-bench-api', PolicyDocument: JSON.stringify(invoke) }),
    );
    return roleArn;
  } finally {
    iam.destroy();
  }
}

async function seedIdentityPool(target: Target, poolId: string, clientId: string, idToken: string): Promise<IdentityPoolSeed> {
  const identity = new CognitoIdentityClient({
    endpoint: target.url,
    region: target.region,
    credentials: target.credentials,
    maxAttempts: 1,
  });
  try {
    const provider = `cognito-idp.${target.region}.amazonaws.com/${poolId}`;
    const { IdentityPoolId } = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'bench',
        AllowUnauthenticatedIdentities: false,
        DeveloperProviderName: BENCH_DEVELOPER,
        CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
      }),
    );
    if (!IdentityPoolId) throw new Error('CreateIdentityPool answered no identity pool id');
    const roleArn = await seedRole(target, IdentityPoolId);
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: roleArn } }));
    const logins = { [provider]: idToken };
    const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId, Logins: logins }));
    const { Token } = await identity.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { [BENCH_DEVELOPER]: 'bench-user' }, TokenDuration: 86_400 }),
    );
    if (!IdentityId || !Token) throw new Error('GetId or GetOpenIdTokenForDeveloperIdentity answered no identity or token');
    return { identityPoolId: IdentityPoolId, identityId: IdentityId, logins, openIdToken: Token, roleArn };
  } finally {
    identity.destroy();
  }
}

/** The seeded identity's own temporary credentials: GetCredentialsForIdentity with the session's ID token. */
async function seedIdentityCredentials(target: Target, identityPool: IdentityPoolSeed): Promise<IdentityCredentials> {
  const identity = new CognitoIdentityClient({ endpoint: target.url, region: target.region, maxAttempts: 1 });
  try {
    const { Credentials: issued } = await identity.send(
      new GetCredentialsForIdentityCommand({ IdentityId: identityPool.identityId, Logins: identityPool.logins }),
    );
    if (!issued?.AccessKeyId || !issued.SecretKey || !issued.SessionToken)
      throw new Error('GetCredentialsForIdentity answered no credentials');
    return { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretKey, sessionToken: issued.SessionToken };
  } finally {
    identity.destroy();
  }
}

/**
 * Declares the gateway's API with `cognate gateway put`, as an operator adds one to a running
 * server (every node reads it from the database): the bench's upstream behind a COGNITO_USER_POOLS
 * route for the main pool and an AWS_IAM route, which the identity pool's role may invoke (seedRole).
 */
async function seedGateway(
  cli: NonNullable<Target['cli']>,
  poolId: string,
  idToken: string,
  credentials: IdentityCredentials,
  upstreamUrl: string,
): Promise<GatewaySeed> {
  const api = {
    id: GATEWAY_API,
    upstream: upstreamUrl,
    stages: [GATEWAY_STAGE],
    routes: [
      { method: 'GET', path: '/cognito/{id}', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [poolId] } },
      { method: 'GET', path: '/iam/{id}', authorizer: { type: 'AWS_IAM' } },
    ],
  };
  const folder = mkdtempSync(join(tmpdir(), 'cognate-bench-gateway-'));
  try {
    const file = join(folder, 'api.json');
    writeFileSync(file, JSON.stringify(api));
    await cli(['gateway', 'put', file]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const stage = `/_api/${GATEWAY_API}/${GATEWAY_STAGE}`;
  return { upstreamUrl, cognitoPath: `${stage}/cognito/1`, iamPath: `${stage}/iam/1`, directPath: '/cognito/1', idToken, credentials };
}

/** How many records one UpdateRecords writes while seeding the Sync paths' dataset. */
const SYNC_BATCH = 100;

export function syncRecordKey(index: number): string {
  return `setting-${String(index).padStart(4, '0')}`;
}

/** A record's value, the same length for every `revision`: about 100 bytes of an app's settings. */
export function syncRecordValue(revision: number): string {
  return JSON.stringify({ revision: String(revision).padStart(10, '0'), theme: 'dark', fontSize: 14, language: 'en-US', alerts: true });
}

/**
 * The identity's dataset of SYNC_RECORDS records, written with its own credentials as a device
 * does: a ListRecords for the SyncSessionToken, then an UpdateRecords of SYNC_BATCH new records
 * (SyncCount 0), until all are there.
 */
async function seedSyncDataset(target: Target, identityPool: IdentityPoolSeed, credentials: IdentityCredentials): Promise<SyncSeed> {
  const sync = new CognitoSyncClient({ endpoint: target.url, region: target.region, credentials, maxAttempts: 1 });
  const where = { IdentityPoolId: identityPool.identityPoolId, IdentityId: identityPool.identityId, DatasetName: 'bench' };
  try {
    const records: RecordTurn[] = [];
    let datasetSyncCount = 0;
    for (let start = 0; start < SYNC_RECORDS; start += SYNC_BATCH) {
      const listed = await sync.send(new ListRecordsCommand({ ...where, LastSyncCount: datasetSyncCount, MaxResults: 1 }));
      const keys = Array.from({ length: Math.min(SYNC_BATCH, SYNC_RECORDS - start) }, (_, i) => syncRecordKey(start + i));
      const updated = await sync.send(
        new UpdateRecordsCommand({
          ...where,
          SyncSessionToken: listed.SyncSessionToken,
          RecordPatches: keys.map((Key) => ({ Op: 'replace', Key, Value: syncRecordValue(0), SyncCount: 0 })),
        }),
      );
      for (const record of updated.Records ?? []) {
        records.push({ key: record.Key!, syncCount: record.SyncCount! });
        datasetSyncCount = Math.max(datasetSyncCount, record.SyncCount!);
      }
    }
    if (records.length !== SYNC_RECORDS) throw new Error(`UpdateRecords wrote ${records.length} records, not ${SYNC_RECORDS}`);
    return {
      identityPoolId: where.IdentityPoolId,
      identityId: where.IdentityId,
      datasetName: where.DatasetName,
      credentials,
      records: new SyncRecords(records, datasetSyncCount),
    };
  } finally {
    sync.destroy();
  }
}

/** A result for what could not be seeded because `what`, which it needs, could not. */
function missing<T>(what: string, outcome: { reason: string; notImplemented: boolean }): Outcome<T> {
  return { ok: false, reason: `no ${what}: ${outcome.reason}`, notImplemented: outcome.notImplemented };
}

/** A result for what this run does not need. */
function notNeeded<T>(what: string): Outcome<T> {
  return { ok: false, reason: `${what} not seeded: no selected path needs it`, notImplemented: false };
}

/**
 * Seeds a target. `needs.mfaUsers` is how many TOTP users the password-mfa path needs (see
 * totpUsersNeeded); 0 when the path is not selected, so the MFA pool (three password hashes per
 * user) is not made. The gateway's API and the Sync dataset are made only when a path of theirs is
 * selected (`needs.upstreamUrl`, `needs.sync`).
 */
export async function seed(target: Target, userCount: number, needs: SeedNeeds = { mfaUsers: 0, sync: false }): Promise<Seed> {
  const { mfaUsers } = needs;
  const sdk = sdkClient(target);
  try {
    const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: `bench-${Date.now()}` }));
    const poolId = pool.UserPool?.Id;
    if (!poolId) throw new Error('CreateUserPool returned no pool id');
    const client = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'bench',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      }),
    );
    const clientId = client.UserPoolClient?.ClientId;
    if (!clientId) throw new Error('CreateUserPoolClient returned no client id');

    const users = await attempt(() => seedUsers(sdk, poolId, userCount));
    const session: Outcome<Session> = users.ok
      ? await attempt(async () => {
          const signedIn = await sdk.send(
            new InitiateAuthCommand({
              AuthFlow: 'USER_PASSWORD_AUTH',
              ClientId: clientId,
              AuthParameters: { USERNAME: username(0), PASSWORD },
            }),
          );
          const result = signedIn.AuthenticationResult;
          if (!result?.AccessToken || !result.RefreshToken || !result.IdToken)
            throw new Error(`InitiateAuth returned no tokens (challenge ${signedIn.ChallengeName ?? 'none'})`);
          return { accessToken: result.AccessToken, refreshToken: result.RefreshToken, idToken: result.IdToken };
        })
      : missing('users', users);
    const clientCredentials = await attempt(() => seedClientCredentials(sdk, target, poolId));
    const oauthSession: Outcome<OAuthSession> = users.ok
      ? await attempt(() => seedOAuthSession(sdk, target, poolId))
      : missing('users', users);
    const triggerPool = await attempt(() => seedTriggerPool(sdk, userCount));
    const hungPool = await attempt(() => seedHungPool(sdk));
    const mfaPool = mfaUsers > 0 ? await attempt(() => seedMfaPool(sdk, mfaUsers)) : notNeeded<MfaPool>('MFA pool');
    const identityPool: Outcome<IdentityPoolSeed> = session.ok
      ? await attempt(() => seedIdentityPool(target, poolId, clientId, session.value.idToken))
      : missing('session', session);
    // The gateway and Sync paths act as the signed-in identity, with its own credentials.
    const credentials: Outcome<IdentityCredentials> =
      needs.upstreamUrl === undefined && !needs.sync
        ? notNeeded('identity credentials')
        : identityPool.ok
          ? await attempt(() => seedIdentityCredentials(target, identityPool.value))
          : missing('identity pool', identityPool);
    const upstreamUrl = needs.upstreamUrl;
    let gateway: Outcome<GatewaySeed> = notNeeded('gateway API');
    if (upstreamUrl !== undefined) {
      const cli = target.cli;
      if (!cli) gateway = { ok: false, reason: 'no API gateway (Cognate has one; this target does not)', notImplemented: true };
      else if (!session.ok) gateway = missing('session', session);
      else if (!credentials.ok) gateway = missing('identity credentials', credentials);
      else gateway = await attempt(() => seedGateway(cli, poolId, session.value.idToken, credentials.value, upstreamUrl));
    }
    let sync: Outcome<SyncSeed> = notNeeded('Sync dataset');
    if (needs.sync) {
      if (!identityPool.ok) sync = missing('identity pool', identityPool);
      else if (!credentials.ok) sync = missing('identity credentials', credentials);
      else sync = await attempt(() => seedSyncDataset(target, identityPool.value, credentials.value));
    }
    return {
      poolId,
      clientId,
      password: PASSWORD,
      users,
      session,
      clientCredentials,
      oauthSession,
      triggerPool,
      hungPool,
      mfaPool,
      identityPool,
      gateway,
      sync,
    };
  } finally {
    sdk.destroy();
  }
}
