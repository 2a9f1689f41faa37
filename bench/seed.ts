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
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { randomBytes } from 'node:crypto';
import { BENCH_HUNG_FUNCTION, BENCH_TRIGGER_FUNCTION, type Target } from './targets.js';
import { TotpRotation, type TotpUser } from './totp-rotation.js';
import { totpCode, totpStep } from '../src/crypto/totp.js';

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
 * An identity pool listing the bench pool's app client, with an authenticated role: the signed-in
 * user's identity and its `Logins` (the session's ID token), and a developer's OpenID token for
 * AssumeRoleWithWebIdentity (a day long, so it outlasts the run).
 */
export interface IdentityPoolSeed {
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
    const roleArn = 'arn:aws:iam::000000000000:role/bench-user';
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: roleArn } }));
    const logins = { [provider]: idToken };
    const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId, Logins: logins }));
    const { Token } = await identity.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId, Logins: { [BENCH_DEVELOPER]: 'bench-user' }, TokenDuration: 86_400 }),
    );
    if (!IdentityId || !Token) throw new Error('GetId or GetOpenIdTokenForDeveloperIdentity answered no identity or token');
    return { identityId: IdentityId, logins, openIdToken: Token, roleArn };
  } finally {
    identity.destroy();
  }
}

/** A result for what this run does not need. */
function notNeeded<T>(what: string): Outcome<T> {
  return { ok: false, reason: `${what} not seeded: no selected path needs it`, notImplemented: false };
}

/**
 * Seeds a target. `mfaUsers` is how many TOTP users the password-mfa path needs (see
 * totpUsersNeeded); 0 when the path is not selected, so the MFA pool (three password hashes per
 * user) is not made.
 */
export async function seed(target: Target, userCount: number, mfaUsers = 0): Promise<Seed> {
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
      : { ok: false, reason: `no users: ${users.reason}`, notImplemented: users.notImplemented };
    const clientCredentials = await attempt(() => seedClientCredentials(sdk, target, poolId));
    const oauthSession: Outcome<OAuthSession> = users.ok
      ? await attempt(() => seedOAuthSession(sdk, target, poolId))
      : { ok: false, reason: `no users: ${users.reason}`, notImplemented: users.notImplemented };
    const triggerPool = await attempt(() => seedTriggerPool(sdk, userCount));
    const hungPool = await attempt(() => seedHungPool(sdk));
    const mfaPool = mfaUsers > 0 ? await attempt(() => seedMfaPool(sdk, mfaUsers)) : notNeeded<MfaPool>('MFA pool');
    const identityPool: Outcome<IdentityPoolSeed> = session.ok
      ? await attempt(() => seedIdentityPool(target, poolId, clientId, session.value.idToken))
      : { ok: false, reason: `no session: ${session.reason}`, notImplemented: session.notImplemented };
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
    };
  } finally {
    sdk.destroy();
  }
}
