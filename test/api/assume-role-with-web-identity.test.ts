import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { cognitoTrustPolicy } from '../../src/domain/iam-policy.js';
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleWithWebIdentityCommandInput,
} from '@aws-sdk/client-sts';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { createClient, createPool, putUser } from './auth-fixtures.js';
import { callerIdentityWith, identityClients, signInUser } from './identity-fixtures.js';

let server: TestServer;
let identity: CognitoIdentityClient;
let unsigned: CognitoIdentityClient;
let sts: STSClient;
const clock = serverForTests((started) => {
  server = started;
  ({ identity, unsigned } = identityClients(server));
  // AssumeRoleWithWebIdentity is unsigned: the SDK asks for no credentials.
  sts = new STSClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: () => Promise.reject(new Error('an unsigned operation asked for credentials')),
  });
});

const SIGNED_IN = 'arn:aws:iam::000000000000:role/web-signed-in';
const GUEST = 'arn:aws:iam::000000000000:role/web-guest';

interface Setup {
  identityPoolId: string;
  /** GetOpenIdToken's token of a signed-in identity, and its ID. */
  signedIn: { id: string; token: string };
  /** GetOpenIdToken's token of a guest identity, and its ID. */
  guest: { id: string; token: string };
  /** A user pool ID token: a JWT of another issuer. */
  idToken: string;
  /** The user pool's provider in the identity pool, with its app client. */
  provider: { ProviderName: string; ClientId: string };
}

let ready: Promise<Setup> | undefined;
function fixtures(): Promise<Setup> {
  return (ready ??= setUp());
}

async function setUp(): Promise<Setup> {
  const userPoolId = await createPool(server);
  const { clientId } = await createClient(server, userPoolId);
  await putUser(server, userPoolId, { username: 'erin' });
  const provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'web identity',
      AllowUnauthenticatedIdentities: true,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
    }),
  );
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: SIGNED_IN, unauthenticated: GUEST } }));
  const idToken = (await signInUser(server, userPoolId, clientId, 'erin')).id;
  const logins = { [provider]: idToken };
  const signedInId = (await unsigned.send(new GetIdCommand({ IdentityPoolId, Logins: logins }))).IdentityId!;
  const signedInToken = (await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: signedInId, Logins: logins }))).Token!;
  const guestId = (await unsigned.send(new GetIdCommand({ IdentityPoolId }))).IdentityId!;
  const guestToken = (await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: guestId }))).Token!;
  return {
    identityPoolId: IdentityPoolId!,
    signedIn: { id: signedInId, token: signedInToken },
    guest: { id: guestId, token: guestToken },
    idToken,
    provider: { ProviderName: provider, ClientId: clientId },
  };
}

function assume(input: Partial<AssumeRoleWithWebIdentityCommandInput> & { WebIdentityToken: string }) {
  return sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: SIGNED_IN, RoleSessionName: 'web-session', ...input }));
}

async function refused(input: Partial<AssumeRoleWithWebIdentityCommandInput> & { WebIdentityToken: string }) {
  const error = await captureError(() => assume(input));
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

test('an OpenID token of a signed-in identity assumes the authenticated role, for an hour, and STS knows the session', async () => {
  const { identityPoolId, signedIn } = await fixtures();
  const answer = await assume({ WebIdentityToken: signedIn.token });
  assert.equal(answer.SubjectFromWebIdentityToken, signedIn.id);
  assert.equal(answer.Audience, identityPoolId);
  assert.equal(answer.Provider, `${server.url}/cognito-identity`);
  assert.equal(answer.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/web-signed-in/web-session');
  assert.match(answer.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z0-9]{17}:web-session$/);
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = answer.Credentials!;
  assert.match(AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(Expiration!.getTime(), Math.floor(clock.now() / 1000) * 1000 + 3600_000);
  const session = await server.services.store.stsSessions.get(AccessKeyId!);
  assert.deepEqual(session && [session.source, session.subject, session.roleArn, session.sessionName], [
    'web-identity',
    signedIn.id,
    SIGNED_IN,
    'web-session',
  ]);

  const caller = new STSClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: AccessKeyId!, secretAccessKey: SecretAccessKey!, sessionToken: SessionToken! },
  });
  try {
    const who = await caller.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, answer.AssumedRoleUser?.Arn);
    assert.equal(who.UserId, answer.AssumedRoleUser?.AssumedRoleId);
  } finally {
    caller.destroy();
  }
});

test('DurationSeconds sets the expiry within 900 to 43200 seconds; outside it is ValidationError with the model message', async () => {
  const { signedIn } = await fixtures();
  const short = await assume({ WebIdentityToken: signedIn.token, DurationSeconds: 900 });
  assert.equal(short.Credentials!.Expiration!.getTime(), Math.floor(clock.now() / 1000) * 1000 + 900_000);
  const long = await assume({ WebIdentityToken: signedIn.token, DurationSeconds: 43200 });
  assert.equal(long.Credentials!.Expiration!.getTime(), Math.floor(clock.now() / 1000) * 1000 + 43200_000);
  assert.deepEqual(await refused({ WebIdentityToken: signedIn.token, DurationSeconds: 899 }), {
    name: 'ValidationError',
    message:
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    status: 400,
  });
  assert.equal((await refused({ WebIdentityToken: signedIn.token, DurationSeconds: 43201 })).name, 'ValidationError');
});

test("Cognito's standard trust: a guest's token assumes the unauthenticated role only, and an identity pool that is gone trusts nothing", async () => {
  const { guest, signedIn } = await fixtures();
  const answer = await assume({ WebIdentityToken: guest.token, RoleArn: GUEST });
  assert.equal(answer.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/web-guest/web-session');
  const denied = { name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity', status: 403 };
  assert.deepEqual(await refused({ WebIdentityToken: guest.token }), denied);
  assert.deepEqual(await refused({ WebIdentityToken: signedIn.token, RoleArn: GUEST }), denied);
  // Any other role is trusted by signed-in identities (as the roles of role mappings are).
  const other = await assume({ WebIdentityToken: signedIn.token, RoleArn: 'arn:aws:iam::000000000000:role/team/editors' });
  assert.equal(other.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/editors/web-session');

  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'short-lived', AllowUnauthenticatedIdentities: true }),
  );
  const lone = (await unsigned.send(new GetIdCommand({ IdentityPoolId }))).IdentityId!;
  const token = (await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: lone }))).Token!;
  await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId }));
  assert.deepEqual(await refused({ WebIdentityToken: token, RoleArn: GUEST }), denied);
});

test("a role that is both a pool's guest and signed-in role trusts both kinds of its identities, and no other pool's", async () => {
  const { idToken, provider, guest } = await fixtures();
  const both = 'arn:aws:iam::000000000000:role/web-everyone';
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'one role',
      AllowUnauthenticatedIdentities: true,
      CognitoIdentityProviders: [provider],
    }),
  );
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: both, unauthenticated: both } }));
  const logins = { [provider.ProviderName]: idToken };
  const signedInId = (await unsigned.send(new GetIdCommand({ IdentityPoolId, Logins: logins }))).IdentityId!;
  const signedInToken = (await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: signedInId, Logins: logins }))).Token!;
  const guestId = (await unsigned.send(new GetIdCommand({ IdentityPoolId }))).IdentityId!;
  const guestToken = (await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: guestId }))).Token!;
  for (const token of [signedInToken, guestToken]) {
    const answer = await assume({ WebIdentityToken: token, RoleArn: both });
    assert.equal(answer.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/web-everyone/web-session');
  }
  // For the first pool the role is neither of its roles: the standard trust of a signed-in role, not a guest's.
  const denied = { name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity', status: 403 };
  assert.deepEqual(await refused({ WebIdentityToken: guest.token, RoleArn: both }), denied);
});

test("tokens that are not the identity service's, forged or expired are refused in STS terms", async () => {
  const { signedIn, idToken } = await fixtures();
  // The SDK names the error by its class; the wire's code is STS's own.
  assert.deepEqual(await refused({ WebIdentityToken: 'not-a-token' }), {
    name: 'InvalidIdentityTokenException',
    message: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    status: 400,
  });
  const foreign = await refused({ WebIdentityToken: idToken });
  assert.equal(foreign.name, 'InvalidIdentityTokenException');
  assert.match(foreign.message, /^No OpenIDConnect provider found in your account for /);
  const [header, payload] = signedIn.token.split('.');
  const forged = await refused({ WebIdentityToken: `${header}.${payload}.${Buffer.alloc(256, 1).toString('base64url')}` });
  assert.equal(forged.name, 'InvalidIdentityTokenException');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  const otherKid = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'no-such-key' })).toString('base64url');
  const unknownKey = await refused({ WebIdentityToken: `${otherKid}.${payload}.${signedIn.token.split('.')[2]}` });
  assert.deepEqual(
    [unknownKey.name, unknownKey.message],
    [
      'InvalidIdentityTokenException',
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    ],
  );
  const exp = claims['exp'] as number;
  await clock.travel(600_000, async () => {
    const now = Math.floor(clock.now() / 1000);
    assert.deepEqual(await refused({ WebIdentityToken: signedIn.token }), {
      name: 'ExpiredTokenException',
      message: `Token expired: current date/time ${now} must be before the expiration date/time${exp}`,
      status: 400,
    });
  });
  assert.deepEqual(await refused({ WebIdentityToken: signedIn.token, RoleArn: 'arn:aws:iam::000000000000:user/someone' }), {
    name: 'ValidationError',
    message: 'Request ARN is invalid',
    status: 400,
  });
});

test('the errors are in STS XML with its codes, and the answer is wrapped as STS wraps it', async () => {
  const { signedIn } = await fixtures();
  const post = (body: string) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const form = (token: string) =>
    new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: SIGNED_IN,
      RoleSessionName: 'raw-form',
      WebIdentityToken: token,
    }).toString();
  const bad = await post(form('not-a-token'));
  assert.equal(bad.status, 400);
  assert.match(
    await bad.text(),
    /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidIdentityToken<\/Code>/,
  );
  const good = await post(form(signedIn.token));
  assert.equal(good.status, 200);
  const xml = await good.text();
  assert.match(
    xml,
    /^<AssumeRoleWithWebIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIA[A-Z0-9]{16}<\/AccessKeyId>/,
  );
  assert.match(xml, /<Expiration>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/Expiration>/);
});

test('a role defined through IAM bounds DurationSeconds by its MaxSessionDuration, and its RoleId begins the assumed-role id', async () => {
  const { identityPoolId, signedIn } = await fixtures();
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  try {
    const role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'web-bounded',
          AssumeRolePolicyDocument: cognitoTrustPolicy(identityPoolId, 'authenticated'),
          MaxSessionDuration: 7200,
        }),
      )
    ).Role!;
    const answer = await assume({ WebIdentityToken: signedIn.token, RoleArn: role.Arn!, DurationSeconds: 7200 });
    assert.equal(answer.Credentials!.Expiration!.getTime(), Math.floor(clock.now() / 1000) * 1000 + 7200_000);
    assert.equal(answer.AssumedRoleUser?.AssumedRoleId, `${role.RoleId}:web-session`);
    assert.deepEqual(await refused({ WebIdentityToken: signedIn.token, RoleArn: role.Arn!, DurationSeconds: 7201 }), {
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      status: 400,
    });
    // The session's own credentials answer GetCallerIdentity with the same id.
    const { AccessKeyId, SecretAccessKey, SessionToken } = answer.Credentials!;
    const caller = await callerIdentityWith(server, {
      accessKeyId: AccessKeyId!,
      secretAccessKey: SecretAccessKey!,
      sessionToken: SessionToken!,
    });
    assert.equal(caller.UserId, `${role.RoleId}:web-session`);
  } finally {
    iam.destroy();
  }
});

test("a developer token's PrincipalTags become the session's principal tags", async () => {
  const developerPool = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'tagged',
      AllowUnauthenticatedIdentities: false,
      DeveloperProviderName: 'login.tagged',
    }),
  );
  const { Token } = await identity.send(
    new GetOpenIdTokenForDeveloperIdentityCommand({
      IdentityPoolId: developerPool.IdentityPoolId,
      Logins: { 'login.tagged': 'user-1' },
      PrincipalTags: { team: 'blue', cost: 'r&d' },
    }),
  );
  const answer = await assume({ WebIdentityToken: Token! });
  const session = await server.services.store.stsSessions.get(answer.Credentials!.AccessKeyId!);
  assert.deepEqual(session?.principalTags, { team: 'blue', cost: 'r&d' });
});
