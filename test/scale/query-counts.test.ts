import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEvent } from 'kysely';
import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { startTestServer, type TestServer } from '../support/server.js';
import { loadUsers, parseLoadUsersArgs } from '../../src/tools-cli/load-users.js';
import { totpForStep } from '../support/totp.js';

/**
 * The hot paths run a small, constant number of queries: the same for a pool of 1 user and a pool
 * of 50 (no N+1 over users, groups or attributes), counted through Kysely's query log.
 */

const PASSWORD = 'Query-Count-9';

let server: TestServer;
let recording: string[] | undefined;

function onQuery(event: LogEvent): void {
  recording?.push(event.query.sql);
}

/** The SQL of every query `work` runs. */
async function queriesOf(work: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  try {
    await work();
    return recording;
  } finally {
    recording = undefined;
  }
}

interface PoolUnderTest {
  poolId: string;
  clientId: string;
}

async function poolWith(users: number, adminFlow = false): Promise<PoolUnderTest> {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: `pool-${users}` }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
        ...(adminFlow ? ['ALLOW_ADMIN_USER_PASSWORD_AUTH' as const] : []),
      ],
    }),
  );
  await loadUsers(server.services, parseLoadUsersArgs(['--pool', poolId, '--count', String(users), '--password', PASSWORD]));
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

/** Query counts of each hot path in one pool (after a warm-up that fills the key cache). */
async function countsIn(target: PoolUnderTest): Promise<Record<string, string[]>> {
  const signIn = () =>
    server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: target.clientId,
        AuthParameters: { USERNAME: 'user0', PASSWORD },
      }),
    );
  const warm = await signIn();
  const accessToken = warm.AuthenticationResult!.AccessToken!;
  const list = (Filter: string) => server.admin.send(new ListUsersCommand({ UserPoolId: target.poolId, Filter }));
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const provider = `cognito-idp.us-east-1.amazonaws.com/${target.poolId}`;
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'counted',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: target.clientId }],
    }),
  );
  await identity.send(
    new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: 'arn:aws:iam::000000000000:role/counted' } }),
  );
  const Logins = { [provider]: warm.AuthenticationResult!.IdToken! };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId, Logins }));
  const credentials = () => identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  // The pools and the client created above empty a PostgreSQL node's cache when their notifications
  // arrive: wait for them, then fill the cache again (each path once), so the counts are of a warm node.
  await server.changesHeard();
  await signIn();
  await credentials();
  const getUser = () => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  await getUser();
  return {
    'InitiateAuth USER_PASSWORD_AUTH': await queriesOf(signIn),
    GetUser: await queriesOf(getUser),
    AdminGetUser: await queriesOf(() => server.admin.send(new AdminGetUserCommand({ UserPoolId: target.poolId, Username: 'user0' }))),
    // Matches every user of the pool: one page of 1 vs 50 users.
    'ListUsers email ^=': await queriesOf(() => list('email ^= "user"')),
    'ListUsers given_name =': await queriesOf(() => list('given_name = "Alice"')),
    'ListUsers cognito:user_status =': await queriesOf(() => list('cognito:user_status = "CONFIRMED"')),
    'ListUsers status =': await queriesOf(() => list('status = "Enabled"')),
    ListUsers: await queriesOf(() => server.admin.send(new ListUsersCommand({ UserPoolId: target.poolId }))),
    GetCredentialsForIdentity: await queriesOf(credentials).finally(() => identity.destroy()),
  };
}

/**
 * Most queries each path may run, on either engine: what it needs today, so a new per-request query
 * is a decision. The pool and the app client are cached reads: a node keeps them across writes to
 * other tables, and only a change to the pools, clients, resource servers, gateway APIs or IAM
 * tables (or, on SQLite, another process's commit) empties its cache.
 * InitiateAuth: user, the lockout attempt reserved and given back (two writes, so that concurrent
 * guesses cannot pass the lockout), groups (token claims), refresh-token insert, audit-event insert
 * (every sign-in is an audit event).
 * GetUser: the user with its token's revoked-family check in the same read (its client is cached too). AdminGetUser and ListUsers: users.
 * GetCredentialsForIdentity: identity, its logins, identity pool, the pool's roles (read once for
 * the choice and the trust check), principal tag maps, the session insert; the user pool that
 * signed the ID token and the IAM role (trust) are cached reads.
 */
const BUDGET: Record<string, number> = {
  'InitiateAuth USER_PASSWORD_AUTH': 6,
  GetUser: 1,
  AdminGetUser: 1,
  'ListUsers email ^=': 1,
  'ListUsers given_name =': 1,
  'ListUsers cognito:user_status =': 1,
  'ListUsers status =': 1,
  ListUsers: 1,
  GetCredentialsForIdentity: 6,
};

before(async () => {
  // A lease longer than the file, so that no count straddles the moment a PostgreSQL node's cached
  // reads expire (every 5 seconds by default): the counts are of the notifications' rule alone.
  server = await startTestServer({}, { queryLog: onQuery, readLeaseMs: 3_600_000 });
});
after(() => server.stop());

test('the hot paths run as many queries for a pool of 50 users as for a pool of 1, within budget', async (t) => {
  const one = await countsIn(await poolWith(1));
  const fifty = await countsIn(await poolWith(50));
  assert.deepEqual(Object.keys(fifty), Object.keys(BUDGET));
  for (const [path, queries] of Object.entries(fifty)) {
    t.diagnostic(`${path}: ${queries.length} queries (1 user: ${one[path]!.length})`);
    assert.equal(queries.length, one[path]!.length, `${path}: ${queries.join(' | ')}`);
    assert.ok(queries.length <= BUDGET[path]!, `${path} runs ${queries.length} queries: ${queries.join(' | ')}`);
  }
});

/** A user of an MFA pool with an authenticator enrolled and preferred, and the code it may answer with next. */
async function totpUser(target: PoolUnderTest, username: string): Promise<string> {
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: target.clientId,
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
  const secret = (await server.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken }))).SecretCode!;
  // Enrolment spends the current step; the sign-in answers with the next, which one step of skew accepts.
  const step = Math.floor(Date.now() / 30_000);
  await server.anonymous.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpForStep(secret, step) }));
  await server.anonymous.send(
    new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  return totpForStep(secret, step + 1);
}

/**
 * Most queries the SOFTWARE_TOKEN_MFA answer may run: client, pool, user, the session claimed
 * (one write that both refuses a spent session and spends this one), the MFA lockout attempt
 * reserved and given back, the TOTP step spent with the user's extra in one guarded update (the
 * replay check), then what every sign-in's tokens take: groups, refresh-token insert, audit event.
 * The client and the pool are cached reads (see BUDGET).
 */
const MFA_ANSWER_BUDGET = 8;

test('the SOFTWARE_TOKEN_MFA answer runs no more queries than its budget, by either API', async (t) => {
  const target = await poolWith(2, true);
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: target.poolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  // The sign-ins below fill the cache again once the pool's change has been heard.
  await server.changesHeard();
  const publicCode = await totpUser(target, 'user0');
  const publicChallenge = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: target.clientId, AuthParameters: { USERNAME: 'user0', PASSWORD } }),
  );
  const adminCode = await totpUser(target, 'user1');
  const adminChallenge = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: target.poolId,
      ClientId: target.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'user1', PASSWORD },
    }),
  );
  const counts = {
    RespondToAuthChallenge: await queriesOf(async () => {
      const out = await server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: target.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: publicChallenge.Session,
          ChallengeResponses: { USERNAME: 'user0', SOFTWARE_TOKEN_MFA_CODE: publicCode },
        }),
      );
      assert.ok(out.AuthenticationResult?.AccessToken);
    }),
    AdminRespondToAuthChallenge: await queriesOf(async () => {
      const out = await server.admin.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: target.poolId,
          ClientId: target.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: adminChallenge.Session,
          ChallengeResponses: { USERNAME: 'user1', SOFTWARE_TOKEN_MFA_CODE: adminCode },
        }),
      );
      assert.ok(out.AuthenticationResult?.AccessToken);
    }),
  };
  for (const [path, queries] of Object.entries(counts)) {
    t.diagnostic(`${path} SOFTWARE_TOKEN_MFA: ${queries.length} queries`);
    assert.ok(queries.length <= MFA_ANSWER_BUDGET, `${path} runs ${queries.length} queries: ${queries.join(' | ')}`);
  }
});
