import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
  type GetCredentialsForIdentityCommandInput,
  type RoleMapping,
} from '@aws-sdk/client-cognito-identity';
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { SetPrincipalTagAttributeMapCommand } from '@aws-sdk/client-cognito-identity';
import { cognitoTrustPolicy } from '../../src/domain/iam-policy.js';
import { sha256Hex } from '../../src/crypto/compare.js';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { createClient, createPool, putUser } from './auth-fixtures.js';
import { callerIdentityWith, identityClients, signInUser, type SessionCredentials } from './identity-fixtures.js';

let server: TestServer;
let identity: CognitoIdentityClient;
let unsigned: CognitoIdentityClient;
const clock = serverForTests((started) => {
  server = started;
  ({ identity, unsigned } = identityClients(server));
});

const SIGNED_IN = 'arn:aws:iam::000000000000:role/signed-in';
const GUEST = 'arn:aws:iam::000000000000:role/guest';

let userPoolId: string;
let clientId: string;
let provider: string;
/** An identity pool with both roles, and one with guests allowed but no roles at all. */
let withRoles: string;
let noRoles: string;

let ready: Promise<void> | undefined;
function fixtures(): Promise<void> {
  return (ready ??= setUp());
}

async function setUp(): Promise<void> {
  userPoolId = await createPool(server);
  clientId = (await createClient(server, userPoolId)).clientId;
  provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
  await putUser(server, userPoolId, { username: 'alice' });
  await putUser(server, userPoolId, { username: 'bob' });
  withRoles = await identityPoolOfUserPool('with roles', true);
  noRoles = await identityPoolOfUserPool('no roles', true);
  await identity.send(
    new SetIdentityPoolRolesCommand({ IdentityPoolId: withRoles, Roles: { authenticated: SIGNED_IN, unauthenticated: GUEST } }),
  );
}

/** A new identity pool that lists the user pool's app client. */
async function identityPoolOfUserPool(name: string, allowGuests: boolean): Promise<string> {
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: name,
      AllowUnauthenticatedIdentities: allowGuests,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
    }),
  );
  return IdentityPoolId!;
}

async function idToken(username: string): Promise<string> {
  return (await signInUser(server, userPoolId, clientId, username)).id;
}

async function getId(pool: string, logins?: Record<string, string>): Promise<string> {
  return (await unsigned.send(new GetIdCommand({ IdentityPoolId: pool, ...(logins ? { Logins: logins } : {}) }))).IdentityId!;
}

async function credentials(input: GetCredentialsForIdentityCommandInput) {
  return unsigned.send(new GetCredentialsForIdentityCommand(input));
}

test('a guest gets an hour of temporary credentials of the unauthenticated role, stored with the secret sealed and the token hashed', async () => {
  await fixtures();
  const guest = await getId(withRoles);
  const answer = await credentials({ IdentityId: guest });
  assert.equal(answer.IdentityId, guest);
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = answer.Credentials!;
  assert.match(AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
  // AWS's secret keys: 40 characters of letters, digits, `/` and `+`; the session token base64.
  assert.match(SecretKey!, /^[A-Za-z0-9/+]{40}$/);
  assert.match(SessionToken!, /^[A-Za-z0-9/+]{128}$/);
  assert.equal(Expiration!.getTime(), Math.floor(clock.now() / 1000) * 1000 + 3600_000);
  const session = await server.services.store.stsSessions.get(AccessKeyId!);
  assert.deepEqual(session && { ...session, createdAt: 0 }, {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretKey,
    tokenHash: sha256Hex(SessionToken!),
    roleArn: GUEST,
    sessionName: 'CognitoIdentityCredentials',
    subject: guest,
    source: 'cognito-identity',
    createdAt: 0,
    expiresAt: clock.now() + 3600_000,
    revoked: false,
    principalTags: {},
  });
  // Each call is a new session.
  const again = await credentials({ IdentityId: guest });
  assert.notEqual(again.Credentials!.AccessKeyId, AccessKeyId);
});

test('a signed-in identity gets the authenticated role, and a guest that signs in keeps its ID and gets it too', async () => {
  await fixtures();
  const logins = { [provider]: await idToken('alice') };
  const alice = await getId(withRoles, logins);
  const answer = await credentials({ IdentityId: alice, Logins: logins });
  assert.equal(answer.IdentityId, alice);
  assert.equal((await server.services.store.stsSessions.get(answer.Credentials!.AccessKeyId!))?.roleArn, SIGNED_IN);

  const guest = await getId(withRoles);
  const bobLogins = { [`${server.url}/${userPoolId}`]: await idToken('bob') };
  const signedIn = await credentials({ IdentityId: guest, Logins: bobLogins });
  assert.equal(signedIn.IdentityId, guest);
  assert.equal((await server.services.store.stsSessions.get(signedIn.Credentials!.AccessKeyId!))?.roleArn, SIGNED_IN);
  assert.equal(await getId(withRoles, { [provider]: await idToken('bob') }), guest);
});

test("GetCredentialsForIdentity refuses a signed-in identity without its login, with another user's, or an unknown identity", async () => {
  await fixtures();
  const logins = { [provider]: await idToken('alice') };
  const alice = await getId(withRoles, logins);
  const bare = await captureError(() => credentials({ IdentityId: alice }));
  assert.deepEqual(
    [bare.name, bare.message],
    ['NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool."],
  );
  const bob = { [provider]: await idToken('bob') };
  await getId(withRoles, bob);
  const other = await captureError(() => credentials({ IdentityId: alice, Logins: bob }));
  assert.equal(other.name, 'NotAuthorizedException');
  assert.match(other.message, /Logins don't match/);
  const forged = await captureError(() =>
    credentials({ IdentityId: alice, Logins: { [provider]: `${logins[provider]!.slice(0, -4)}AAAA` } }),
  );
  assert.equal(forged.name, 'NotAuthorizedException');
  const unknown = await captureError(() => credentials({ IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000' }));
  assert.equal(unknown.name, 'ResourceNotFoundException');
});

test('a pool without the role the caller needs answers InvalidIdentityPoolConfigurationException', async () => {
  await fixtures();
  const message = 'Invalid identity pool configuration. Check assigned IAM roles for this pool.';
  const guest = await getId(noRoles);
  const refused = await captureError(() => credentials({ IdentityId: guest }));
  assert.equal(refused.$metadata?.httpStatusCode, 400);
  assert.deepEqual([refused.name, refused.message], ['InvalidIdentityPoolConfigurationException', message]);

  // Only a guest role: a signed-in identity has none.
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: noRoles, Roles: { unauthenticated: GUEST } }));
  assert.ok((await credentials({ IdentityId: guest })).Credentials?.AccessKeyId);
  const logins = { [provider]: await idToken('alice') };
  const alice = await getId(noRoles, logins);
  const signedIn = await captureError(() => credentials({ IdentityId: alice, Logins: logins }));
  assert.deepEqual([signedIn.name, signedIn.message], ['InvalidIdentityPoolConfigurationException', message]);
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: noRoles, Roles: {} }));
});

/** The role the assumed-role ARN of `credentials` names, asked of STS with them. */
async function callerRole(answer: Awaited<ReturnType<typeof credentials>>): Promise<string> {
  const arn = (await callerIdentityWith(server, sessionCredentials(answer))).Arn!;
  return /^arn:aws:sts::000000000000:assumed-role\/([^/]+)\//.exec(arn)![1]!;
}

/** GetCredentialsForIdentity's credentials as the SDK takes them. */
function sessionCredentials(answer: Awaited<ReturnType<typeof credentials>>): SessionCredentials {
  const { AccessKeyId, SecretKey, SessionToken } = answer.Credentials!;
  return { accessKeyId: AccessKeyId!, secretAccessKey: SecretKey!, sessionToken: SessionToken! };
}

test("role mappings choose the role: a Token mapping by the user's groups, a Rules mapping by a claim, and Deny when none applies", async () => {
  await fixtures();
  const ADMINS = 'arn:aws:iam::000000000000:role/admins';
  const EDITORS = 'arn:aws:iam::000000000000:role/editors';
  const BOBS = 'arn:aws:iam::000000000000:role/bobs';
  // alice is in two groups with roles: her token's cognito:preferred_role is the higher-precedence one.
  await server.admin.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admins', RoleArn: ADMINS, Precedence: 1 }));
  await server.admin.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'editors', RoleArn: EDITORS, Precedence: 2 }));
  for (const group of ['admins', 'editors']) {
    await server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: 'alice', GroupName: group }));
  }
  const key = `${provider}:${clientId}`;
  const mapped = async (mapping: RoleMapping): Promise<string> => {
    const pool = (
      await identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: `mapped ${mapping.Type}`,
          AllowUnauthenticatedIdentities: false,
          CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
        }),
      )
    ).IdentityPoolId!;
    await identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: pool, Roles: { authenticated: SIGNED_IN }, RoleMappings: { [key]: mapping } }),
    );
    return pool;
  };
  const signedInAs = async (pool: string, username: string, customRoleArn?: string) => {
    const logins = { [provider]: await idToken(username) };
    return credentials({
      IdentityId: await getId(pool, logins),
      Logins: logins,
      ...(customRoleArn ? { CustomRoleArn: customRoleArn } : {}),
    });
  };

  const byToken = await mapped({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
  assert.equal(await callerRole(await signedInAs(byToken, 'alice')), 'admins');
  assert.equal(await callerRole(await signedInAs(byToken, 'alice', EDITORS)), 'editors', 'a CustomRoleArn among cognito:roles');
  const notHers = await captureError(() => signedInAs(byToken, 'alice', BOBS));
  assert.equal(notHers.name, 'NotAuthorizedException');
  // bob is in no group: his token has no role, and the ambiguity resolves to the authenticated role.
  assert.equal(await callerRole(await signedInAs(byToken, 'bob')), 'signed-in');

  const byRules = await mapped({
    Type: 'Rules',
    AmbiguousRoleResolution: 'Deny',
    RulesConfiguration: { Rules: [{ Claim: 'cognito:username', MatchType: 'Equals', Value: 'bob', RoleARN: BOBS }] },
  });
  assert.equal(await callerRole(await signedInAs(byRules, 'bob')), 'bobs');
  const denied = await captureError(() => signedInAs(byRules, 'alice'));
  assert.equal(denied.name, 'NotAuthorizedException');
  assert.equal(denied.message, 'The ambiguous role mapping rules denied this request.');
});

test('of several logins the one with a role mapping is mapped, and a mapping is for its own app client only', async () => {
  await fixtures();
  const SECOND = 'arn:aws:iam::000000000000:role/second-pool';
  const secondPoolId = await createPool(server);
  const secondClientId = (await createClient(server, secondPoolId)).clientId;
  const otherClientId = (await createClient(server, userPoolId)).clientId;
  await putUser(server, secondPoolId, { username: 'alice' });
  const secondProvider = `cognito-idp.us-east-1.amazonaws.com/${secondPoolId}`;
  const pool = (
    await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'two user pools',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [
          { ProviderName: provider, ClientId: clientId },
          { ProviderName: provider, ClientId: otherClientId },
          { ProviderName: secondProvider, ClientId: secondClientId },
        ],
      }),
    )
  ).IdentityPoolId!;
  const everyone = { Claim: 'cognito:username', MatchType: 'Equals' as const, Value: 'alice' };
  await identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: pool,
      Roles: { authenticated: SIGNED_IN },
      RoleMappings: {
        [`${secondProvider}:${secondClientId}`]: {
          Type: 'Rules',
          AmbiguousRoleResolution: 'Deny',
          RulesConfiguration: { Rules: [{ ...everyone, RoleARN: SECOND }] },
        },
        [`${provider}:${otherClientId}`]: {
          Type: 'Rules',
          AmbiguousRoleResolution: 'Deny',
          RulesConfiguration: { Rules: [{ ...everyone, RoleARN: 'arn:aws:iam::000000000000:role/other-client' }] },
        },
      },
    }),
  );
  // The first login (this user pool's listed client) has no mapping of its own: the second's is read.
  const logins = {
    [provider]: await idToken('alice'),
    [secondProvider]: (await signInUser(server, secondPoolId, secondClientId, 'alice')).id,
  };
  const both = await credentials({ IdentityId: await getId(pool, logins), Logins: logins });
  assert.equal(await callerRole(both), 'second-pool');
  // The mapping of the user pool's other app client is not this client's: the authenticated role.
  const first = { [provider]: await idToken('bob') };
  assert.equal(await callerRole(await credentials({ IdentityId: await getId(pool, first), Logins: first })), 'signed-in');
});

test("a role defined through IAM is taken only when its own trust policy takes the identity; otherwise the pool's configuration is refused", async () => {
  await fixtures();
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  try {
    // Cognito's standard trust policy for signed-in identities of one identity pool.
    const trust = (identityPoolId: string) => cognitoTrustPolicy(identityPoolId, 'authenticated');
    const pool = await identityPoolOfUserPool('iam roles', true);
    const trusting = (await iam.send(new CreateRoleCommand({ RoleName: 'trusts-this-pool', AssumeRolePolicyDocument: trust(pool) }))).Role!
      .Arn!;
    const other = (await iam.send(new CreateRoleCommand({ RoleName: 'trusts-another-pool', AssumeRolePolicyDocument: trust(noRoles) })))
      .Role!.Arn!;
    const logins = { [provider]: await idToken('bob') };
    const bob = await getId(pool, logins);

    await identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: pool, Roles: { authenticated: trusting, unauthenticated: trusting } }),
    );
    assert.equal(await callerRole(await credentials({ IdentityId: bob, Logins: logins })), 'trusts-this-pool');
    // Its trust policy takes signed-in identities only: a guest of the same pool is refused.
    const guestId = await getId(pool);
    const guest = await captureError(() => credentials({ IdentityId: guestId }));
    assert.equal(guest.name, 'InvalidIdentityPoolConfigurationException');

    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool, Roles: { authenticated: other } }));
    const refused = await captureError(() => credentials({ IdentityId: bob, Logins: logins }));
    assert.equal(refused.name, 'InvalidIdentityPoolConfigurationException');
    assert.equal(refused.message, 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
  } finally {
    iam.destroy();
  }
});

test("the provider's principal tag map tags the session, and a role defined through IAM lends its RoleId to GetCallerIdentity", async () => {
  await fixtures();
  const pool = await identityPoolOfUserPool('tagged sessions', false);
  await identity.send(
    new SetPrincipalTagAttributeMapCommand({
      IdentityPoolId: pool,
      IdentityProviderName: provider,
      UseDefaults: true,
      PrincipalTags: { who: 'cognito:username' },
    }),
  );
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  try {
    const role = (
      await iam.send(
        new CreateRoleCommand({ RoleName: 'tagged-users', AssumeRolePolicyDocument: cognitoTrustPolicy(pool, 'authenticated') }),
      )
    ).Role!;
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool, Roles: { authenticated: role.Arn! } }));
    const logins = { [provider]: await idToken('alice') };
    const answer = await credentials({ IdentityId: await getId(pool, logins), Logins: logins });
    const session = await server.services.store.stsSessions.get(answer.Credentials!.AccessKeyId!);
    assert.deepEqual(session?.principalTags, {
      username: (await server.services.store.users.get(userPoolId, 'alice'))!.sub,
      client: clientId,
      who: 'alice',
    });

    const caller = await callerIdentityWith(server, sessionCredentials(answer));
    assert.equal(caller.UserId, `${role.RoleId}:CognitoIdentityCredentials`);
    assert.equal(caller.Arn, 'arn:aws:sts::000000000000:assumed-role/tagged-users/CognitoIdentityCredentials');
  } finally {
    iam.destroy();
  }
});
