import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import {
  TEST_PG_URL_VARIABLE,
  createTestSchema,
  postgresSkipReason,
  runningInCi,
  testPostgresUrl,
  type TestSchema,
} from '../support/postgres.js';
import { srpClient } from '../support/srp-client.js';

/**
 * Scale-out: two Cognate nodes over ONE PostgreSQL schema, sharing the master key and nothing
 * else. Whatever one node starts (a sign-up, a session, a challenge, a key rotation), the other
 * finishes, because every piece of state lives in the database or is sealed under the shared key.
 */

const run = promisify(execFile);
const url = testPostgresUrl();
const PASSWORD = 'Two-Nodes-Pass-1';
/** The load balancer's address in front of both nodes. */
const PUBLIC_URL = 'http://cognate-lb.internal:9229';

function kidOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
}

function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

if (url !== undefined) {
  describe('two nodes over one PostgreSQL', () => {
    let schema: TestSchema;
    let masterKey: string;
    let a: TestServer;
    let b: TestServer;
    let poolId: string;
    let clientId: string;

    before(async () => {
      schema = await createTestSchema(url);
      masterKey = randomBytes(32).toString('base64');
      // Nodes behind one load balancer share its URL as COGNATE_PUBLIC_URL: it is the tokens'
      // issuer, so without it each node would refuse the other's tokens as foreign.
      // One after the other: the first node migrates the schema, the second finds it current.
      a = await startTestServer({ databaseUrl: schema.url, masterKey, publicUrl: PUBLIC_URL });
      b = await startTestServer({ databaseUrl: schema.url, masterKey, publicUrl: PUBLIC_URL });
      const pool = await a.admin.send(new CreateUserPoolCommand({ PoolName: 'scale-out', AutoVerifiedAttributes: ['email'] }));
      poolId = pool.UserPool!.Id!;
      const client = await a.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      clientId = client.UserPoolClient!.ClientId!;
    });

    after(async () => {
      await a?.stop();
      await b?.stop();
      await schema?.drop();
    });

    async function signIn(node: TestServer, username: string, password = PASSWORD): Promise<AuthenticationResultType> {
      const out = await node.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
      assert.ok(out.AuthenticationResult, `no tokens for ${username}: ${out.ChallengeName ?? ''}`);
      return out.AuthenticationResult;
    }

    /** A confirmed user with PASSWORD, created through node A. */
    async function confirmedUser(username: string): Promise<void> {
      await a.admin.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          TemporaryPassword: 'Temp-Pass-123',
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
        }),
      );
      const started = await a.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: username, PASSWORD: 'Temp-Pass-123' },
        }),
      );
      await a.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: PASSWORD },
        }),
      );
    }

    async function jwksKids(node: TestServer): Promise<string[]> {
      const response = await fetch(`${node.url}/${poolId}/.well-known/jwks.json`);
      assert.equal(response.status, 200);
      return ((await response.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    }

    test('the nodes are separate servers (own port, own key cache) over one database and one issuer', async () => {
      assert.notEqual(a.url, b.url);
      assert.notEqual(a.services.keys, b.services.keys);
      assert.equal(a.services.config.databaseUrl, b.services.config.databaseUrl);
      for (const node of [a, b]) {
        const discovery = (await (await fetch(`${node.url}/${poolId}/.well-known/openid-configuration`)).json()) as { issuer: string };
        assert.equal(discovery.issuer, `${PUBLIC_URL}/${poolId}`);
      }
    });

    test('a user signed up on A confirms on B with the code A sent, then signs in on B', async () => {
      const signedUp = await a.anonymous.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'sam',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'sam@example.com' }],
        }),
      );
      assert.equal(signedUp.UserConfirmed, false);
      const message = await a.lastMessage(poolId, 'sam', 'signup');
      assert.match(message?.code ?? '', /^\d{6}$/);

      const early = await captureError(() => signIn(b, 'sam'));
      assert.equal(early.name, 'UserNotConfirmedException');
      await b.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'sam', ConfirmationCode: message!.code! }));

      const tokens = await signIn(b, 'sam');
      const me = await a.anonymous.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
      assert.equal(me.Username, 'sam');
      assert.equal((await a.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }))).UserStatus, 'CONFIRMED');
      // The code was spent on B: A refuses it too.
      const again = await captureError(() =>
        a.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'sam', ConfirmationCode: message!.code! })),
      );
      assert.equal(again.name, 'NotAuthorizedException');
    });

    test('a user created on A signs in on B with USER_PASSWORD_AUTH', async () => {
      await confirmedUser('pat');
      const tokens = await signIn(b, 'pat');
      assert.equal(tokens.TokenType, 'Bearer');
      const wrong = await captureError(() => signIn(b, 'pat', 'Not-The-Pass-1'));
      assert.equal(wrong.name, 'NotAuthorizedException');
      assert.equal(wrong.message, 'Incorrect username or password.');
    });

    test('a refresh token revoked on A is refused on B, and so are its access tokens', async () => {
      await confirmedUser('rita');
      const tokens = await signIn(a, 'rita');
      const refresh = (node: TestServer) =>
        node.anonymous.send(
          new InitiateAuthCommand({
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            ClientId: clientId,
            AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
          }),
        );
      const refreshed = await refresh(b);
      assert.ok(refreshed.AuthenticationResult?.AccessToken);

      await a.anonymous.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.RefreshToken }));
      const refused = await captureError(() => refresh(b));
      assert.equal(refused.name, 'NotAuthorizedException');
      assert.equal(refused.message, 'Refresh Token has been revoked');
      const revoked = await captureError(() =>
        b.anonymous.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken })),
      );
      assert.equal(revoked.name, 'NotAuthorizedException');
      assert.equal(revoked.message, 'Access Token has been revoked');
    });

    test('a NEW_PASSWORD_REQUIRED challenge started on A completes on B', async () => {
      await a.admin.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nina', TemporaryPassword: 'Temp-Pass-123', MessageAction: 'SUPPRESS' }),
      );
      const started = await a.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: 'nina', PASSWORD: 'Temp-Pass-123' },
        }),
      );
      assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const answered = await b.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: { USERNAME: 'nina', NEW_PASSWORD: PASSWORD },
        }),
      );
      assert.ok(answered.AuthenticationResult?.AccessToken);
      // The session is spent on B; replaying it on A is refused.
      const replay = await captureError(() =>
        a.anonymous.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: started.Session,
            ChallengeResponses: { USERNAME: 'nina', NEW_PASSWORD: 'Other-Pass-123' },
          }),
        ),
      );
      assert.equal(replay.name, 'NotAuthorizedException');
      assert.ok(await signIn(a, 'nina'));
    });

    test('a USER_SRP_AUTH challenge started on A completes on B', async () => {
      await confirmedUser('sree');
      const client = srpClient(poolId);
      const initiated = await a.anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: 'sree', SRP_A: client.srpA },
        }),
      );
      assert.equal(initiated.ChallengeName, 'PASSWORD_VERIFIER');
      const answered = await b.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: client.respond(initiated.ChallengeParameters ?? {}, PASSWORD),
        }),
      );
      assert.ok(answered.AuthenticationResult?.AccessToken);
    });

    test('tokens signed with a key rotated on A verify on B at once, and older tokens still do', async () => {
      await confirmedUser('kim');
      const older = await signIn(a, 'kim');
      // B loads and caches the pool's keys (for 60 s) before the rotation.
      await b.anonymous.send(new GetUserCommand({ AccessToken: older.AccessToken }));

      const rotated = await a.services.keys.rotate(poolId);
      const newer = await signIn(a, 'kim');
      assert.equal(kidOf(newer.AccessToken!), rotated.access);
      assert.equal(kidOf(newer.IdToken!), rotated.id);
      assert.notEqual(kidOf(older.AccessToken!), rotated.access);

      assert.equal((await b.anonymous.send(new GetUserCommand({ AccessToken: newer.AccessToken }))).Username, 'kim');
      assert.equal((await b.anonymous.send(new GetUserCommand({ AccessToken: older.AccessToken }))).Username, 'kim');
      // Having met the new key, B signs with it too.
      assert.equal(kidOf((await signIn(b, 'kim')).AccessToken!), rotated.access);

      const stored = await a.services.store.signingKeys.list(poolId);
      assert.deepEqual(
        stored
          .filter((k) => k.status === 'active')
          .map((k) => k.kid)
          .sort(),
        [rotated.id, rotated.access].sort(),
      );
      assert.ok(stored.some((k) => k.kid === kidOf(older.AccessToken!) && k.status === 'retired'));
    });

    test("a key rotated on A is in B's JWKS at once, with the retired keys kept", async () => {
      const before = await jwksKids(b); // B's cache is warm
      const rotated = await a.services.keys.rotate(poolId);
      const after = await jwksKids(b);
      assert.ok(after.includes(rotated.id) && after.includes(rotated.access));
      for (const kid of before) assert.ok(after.includes(kid), `retired ${kid} still served`);
      assert.deepEqual([...after].sort(), [...(await jwksKids(a))].sort());
    });

    test('`cognate keys rotate` against the shared database is served and used by both nodes', async () => {
      await Promise.all([jwksKids(a), jwksKids(b)]); // both caches warm
      const env = {
        ...withoutCognateVariables(process.env),
        COGNATE_DATABASE_URL: schema.url,
        COGNATE_MASTER_KEY: masterKey,
        COGNATE_LOG_LEVEL: 'silent',
      };
      const cognate = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, timeout: 120_000 });
      const { stdout } = await cognate(['keys', 'rotate', '--pool', poolId]);
      const match = /^rotated the signing keys of (\S+): id (\S+), access (\S+); (\d+) earlier keys retired \(kept in the JWKS\)\n$/.exec(
        stdout,
      );
      assert.ok(match, stdout);
      assert.equal(match[1], poolId);
      const [idKid, accessKid] = [match[2]!, match[3]!];

      for (const node of [a, b]) {
        const kids = await jwksKids(node);
        assert.ok(kids.includes(idKid) && kids.includes(accessKid));
      }
      const tokens = await signIn(b, 'kim');
      assert.equal(kidOf(tokens.AccessToken!), accessKid);
      assert.equal((await a.anonymous.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username, 'kim');

      const listed = JSON.parse((await cognate(['keys', 'list', '--pool', poolId])).stdout) as {
        kid: string;
        status: string;
        purpose: string;
      }[];
      assert.deepEqual(
        listed
          .filter((k) => k.status === 'active')
          .map((k) => k.kid)
          .sort(),
        [idKid, accessKid].sort(),
      );
      assert.equal(listed.filter((k) => k.status === 'retired').length, Number(match[4]));
    });

    test("temporary credentials issued on A sign STS calls that B answers, and B refuses them once A's session is revoked", async () => {
      const admin = new CognitoIdentityClient({ endpoint: a.url, region: 'us-east-1', credentials: a.adminKey, maxAttempts: 1 });
      let credentials: AwsCredentialIdentity;
      try {
        const { IdentityPoolId } = await admin.send(
          new CreateIdentityPoolCommand({ IdentityPoolName: 'nodes', AllowUnauthenticatedIdentities: true }),
        );
        await admin.send(
          new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: 'arn:aws:iam::000000000000:role/nodes-guest' } }),
        );
        const { IdentityId } = await admin.send(new GetIdCommand({ IdentityPoolId }));
        const { Credentials } = await admin.send(new GetCredentialsForIdentityCommand({ IdentityId }));
        credentials = {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretKey!,
          sessionToken: Credentials!.SessionToken!,
        };
      } finally {
        admin.destroy();
      }
      const sts = new STSClient({ endpoint: b.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      try {
        const caller = await sts.send(new GetCallerIdentityCommand({}));
        assert.equal(caller.Arn, 'arn:aws:sts::000000000000:assumed-role/nodes-guest/CognitoIdentityCredentials');
        assert.equal(await a.services.store.stsSessions.revoke(credentials.accessKeyId), true);
        assert.equal((await captureError(() => sts.send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
      } finally {
        sts.destroy();
      }
    });
  });
} else if (runningInCi()) {
  // Under CI a skipped scale-out suite would pass silently; the setup is broken, so say so.
  test('two nodes over one PostgreSQL', () => {
    assert.fail(`${TEST_PG_URL_VARIABLE} must be set in CI (.ci/run sets it)`);
  });
} else {
  test('two nodes over one PostgreSQL', { skip: postgresSkipReason() }, () => {});
}
