import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
  ListTagsForResourceCommand,
  SetIdentityPoolRolesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIdentityPoolCommand,
  paginateListIdentityPools,
  type RoleMapping,
} from '@aws-sdk/client-cognito-identity';
import { serverForTests, captureError, type TestServer } from '../support/server.js';

let server: TestServer;
let identity: CognitoIdentityClient;
serverForTests((started) => {
  server = started;
  identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
});
after(() => identity.destroy());

const USER_POOL_PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123';

test('CreateIdentityPool answers the pool with a <region>:<uuid> ID, and DescribeIdentityPool gives it back', async () => {
  const created = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'my app',
      AllowUnauthenticatedIdentities: true,
      SupportedLoginProviders: { 'accounts.google.com': 'web.apps.googleusercontent.com' },
      CognitoIdentityProviders: [{ ProviderName: USER_POOL_PROVIDER, ClientId: 'client1' }],
      OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/example.com'],
      IdentityPoolTags: { team: 'web' },
    }),
  );
  assert.match(created.IdentityPoolId!, /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const expected = {
    IdentityPoolId: created.IdentityPoolId,
    IdentityPoolName: 'my app',
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: false,
    SupportedLoginProviders: { 'accounts.google.com': 'web.apps.googleusercontent.com' },
    CognitoIdentityProviders: [{ ProviderName: USER_POOL_PROVIDER, ClientId: 'client1', ServerSideTokenCheck: false }],
    OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/example.com'],
    IdentityPoolTags: { team: 'web' },
  };
  const { $metadata: _created, ...answer } = created;
  assert.deepEqual(answer, expected);
  const { $metadata: _described, ...described } = await identity.send(
    new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }),
  );
  assert.deepEqual(described, expected);
});

test("a user pool provider may also be named by Cognate's own issuer", async () => {
  const created = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'issuer form',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: `${server.url}/us-east-1_AbCdEf123`, ClientId: 'client1', ServerSideTokenCheck: true }],
    }),
  );
  assert.equal(created.CognitoIdentityProviders![0]!.ServerSideTokenCheck, true);
});

test('a user pool provider name that names no user pool is InvalidParameterException', async () => {
  const error = await captureError(() =>
    identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'bad provider',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: 'accounts.google.com', ClientId: 'client1' }],
      }),
    ),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'Invalid Cognito Identity Provider');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test('UpdateIdentityPool replaces the settings, resets those left out, and keeps the developer provider name and tags', async () => {
  const created = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'before',
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: true,
      DeveloperProviderName: 'login.example.app',
      SupportedLoginProviders: { 'graph.facebook.com': '1234' },
      IdentityPoolTags: { stage: 'dev' },
    }),
  );
  const { $metadata: _updated, ...updated } = await identity.send(
    new UpdateIdentityPoolCommand({
      IdentityPoolId: created.IdentityPoolId,
      IdentityPoolName: 'after',
      AllowUnauthenticatedIdentities: false,
    }),
  );
  const expected = {
    IdentityPoolId: created.IdentityPoolId,
    IdentityPoolName: 'after',
    AllowUnauthenticatedIdentities: false,
    AllowClassicFlow: false,
    DeveloperProviderName: 'login.example.app',
    IdentityPoolTags: { stage: 'dev' },
  };
  assert.deepEqual(updated, expected);
  const { $metadata: _described, ...described } = await identity.send(
    new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }),
  );
  assert.deepEqual(described, expected);

  const error = await captureError(() =>
    identity.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: created.IdentityPoolId,
        IdentityPoolName: 'after',
        AllowUnauthenticatedIdentities: false,
        DeveloperProviderName: 'other.provider',
      }),
    ),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'The developer provider name of an identity pool cannot be changed once set (it is login.example.app).');
});

test('DeleteIdentityPool removes the pool; then it is ResourceNotFoundException naming it, for every operation', async () => {
  const created = await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'gone', AllowUnauthenticatedIdentities: false }));
  const id = created.IdentityPoolId!;
  await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id }));
  for (const call of [
    () => identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })),
    () => identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id })),
    () =>
      identity.send(new UpdateIdentityPoolCommand({ IdentityPoolId: id, IdentityPoolName: 'x', AllowUnauthenticatedIdentities: false })),
  ]) {
    const error = await captureError(call);
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, `IdentityPool '${id}' not found.`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
});

test('ListIdentityPools pages MaxResults at a time in ID order, with every pool once', async () => {
  const ids = [];
  for (const name of ['list a', 'list b', 'list c']) {
    ids.push(
      (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: false })))
        .IdentityPoolId!,
    );
  }
  const seen: { IdentityPoolId?: string; IdentityPoolName?: string }[] = [];
  let pages = 0;
  for await (const page of paginateListIdentityPools({ client: identity, pageSize: 2 }, { MaxResults: 2 })) {
    pages++;
    assert.ok(page.IdentityPools!.length <= 2);
    seen.push(...page.IdentityPools!);
  }
  const seenIds = seen.map((p) => p.IdentityPoolId!);
  assert.deepEqual(seenIds, [...seenIds].sort(), 'in ID order');
  assert.equal(new Set(seenIds).size, seenIds.length, 'no pool twice');
  assert.ok(pages >= 2);
  for (const [i, id] of ids.entries()) {
    assert.deepEqual(
      seen.find((p) => p.IdentityPoolId === id),
      { IdentityPoolId: id, IdentityPoolName: ['list a', 'list b', 'list c'][i] },
    );
  }
});

test('a NextToken Cognate did not issue is InvalidParameterException', async () => {
  const error = await captureError(() => identity.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken: 'not!ours' })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.match(error.message, /^Paging marker not!ours is invalid for request /);
});

test("input that breaks the model's constraints is InvalidParameterException with AWS's message", async () => {
  const cases: [() => Promise<unknown>, string][] = [
    [
      () => identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'bad!name', AllowUnauthenticatedIdentities: false })),
      "1 validation error detected: Value 'bad!name' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
    ],
    [
      () => identity.send(new ListIdentityPoolsCommand({ MaxResults: 61 })),
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    ],
    [
      () => identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: 'no-colon' })),
      "1 validation error detected: Value 'no-colon' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    ],
    [
      () => identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'x' } as never)),
      "1 validation error detected: Value at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null",
    ],
  ];
  for (const [call, message] of cases) {
    const error = await captureError(call);
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
});

test('identity pool administration is SigV4-signed with admin keys: an unknown key is UnrecognizedClientException', async () => {
  const stranger = new CognitoIdentityClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'unknown' },
    maxAttempts: 1,
  });
  const error = await captureError(() => stranger.send(new ListIdentityPoolsCommand({ MaxResults: 1 })));
  stranger.destroy();
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.message, 'The security token included in the request is invalid.');
});

test('an unsigned identity pool call is MissingAuthenticationTokenException', async () => {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.ListIdentityPools' },
    body: '{"MaxResults":1}',
  });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
});

test("TagResource, UntagResource and ListTagsForResource change and read an identity pool's tags by its ARN", async () => {
  const created = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'tagged', AllowUnauthenticatedIdentities: false, IdentityPoolTags: { a: '1' } }),
  );
  const arn = `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${created.IdentityPoolId}`;
  await identity.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '2', b: '3' } }));
  assert.deepEqual((await identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { a: '2', b: '3' });
  await identity.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'not-there'] }));
  assert.deepEqual((await identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { b: '3' });
  const described = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }));
  assert.deepEqual(described.IdentityPoolTags, { b: '3' });
  await identity.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['b'] }));
  assert.deepEqual((await identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, {});
});

test('tagging an ARN that names no identity pool here is ResourceNotFoundException; more than 50 tags is refused', async () => {
  const missing = 'arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:00000000-0000-4000-8000-000000000000';
  let error = await captureError(() => identity.send(new ListTagsForResourceCommand({ ResourceArn: missing })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, "IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found.");
  const userPoolArn = 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_AbCdEf123';
  error = await captureError(() => identity.send(new TagResourceCommand({ ResourceArn: userPoolArn, Tags: { a: '1' } })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, `Resource ${userPoolArn} does not exist.`);

  const created = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'many tags', AllowUnauthenticatedIdentities: false }),
  );
  const arn = `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${created.IdentityPoolId}`;
  const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  error = await captureError(() => identity.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'An identity pool can have at most 50 tags.');
  assert.deepEqual((await identity.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, {});
});

test("identity pool changes are audit events of that identity pool, with the admin's key; reads are not", async () => {
  const created = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'audited', AllowUnauthenticatedIdentities: false }),
  );
  const id = created.IdentityPoolId!;
  await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }));
  await identity.send(
    new UpdateIdentityPoolCommand({ IdentityPoolId: id, IdentityPoolName: 'audited 2', AllowUnauthenticatedIdentities: true }),
  );
  const events = (await server.services.store.auditEvents.list({ poolId: id })).reverse();
  assert.deepEqual(
    events.map((e) => [e.event, e.outcome, e.actor, e.detail]),
    [
      ['CreateIdentityPool', 'Pass', server.adminKey.accessKeyId, { IdentityPoolName: 'audited' }],
      ['UpdateIdentityPool', 'Pass', server.adminKey.accessKeyId, { IdentityPoolName: 'audited 2' }],
    ],
  );
});

const SIGNED_IN = 'arn:aws:iam::000000000000:role/signed-in';
const GUEST = 'arn:aws:iam::000000000000:role/service-role/guest';

async function createPool(): Promise<string> {
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'roles',
      AllowUnauthenticatedIdentities: true,
      SupportedLoginProviders: { 'graph.facebook.com': '1234' },
      CognitoIdentityProviders: [{ ProviderName: USER_POOL_PROVIDER, ClientId: 'client1' }],
      OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/login.example.com/realm'],
      SamlProviderARNs: ['arn:aws:iam::000000000000:saml-provider/corp'],
    }),
  );
  return IdentityPoolId!;
}

async function refused(input: ConstructorParameters<typeof SetIdentityPoolRolesCommand>[0]): Promise<{ name: string; message: string }> {
  const error = await captureError(() => identity.send(new SetIdentityPoolRolesCommand(input)));
  assert.equal(error.$metadata?.httpStatusCode, 400);
  return { name: error.name, message: error.message };
}

test('SetIdentityPoolRoles keeps roles and mappings as given; GetIdentityPoolRoles answers them, and UpdateIdentityPool leaves them', async () => {
  const pool = await createPool();
  assert.deepEqual((await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: pool }))).Roles, undefined);
  const mappings: Record<string, RoleMapping> = {
    [`${USER_POOL_PROVIDER}:client1`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
    'graph.facebook.com': {
      Type: 'Rules',
      AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: { Rules: [{ Claim: 'sub', MatchType: 'Equals', Value: 'x', RoleARN: SIGNED_IN }] },
    },
    'login.example.com/realm': { Type: 'Token', AmbiguousRoleResolution: 'Deny' },
    'arn:aws:iam::000000000000:saml-provider/corp': { Type: 'Token', AmbiguousRoleResolution: 'Deny' },
  };
  await identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: pool,
      Roles: { authenticated: SIGNED_IN, unauthenticated: GUEST },
      RoleMappings: mappings,
    }),
  );
  const { $metadata: _m, ...answer } = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: pool }));
  const expected = { IdentityPoolId: pool, Roles: { authenticated: SIGNED_IN, unauthenticated: GUEST }, RoleMappings: mappings };
  assert.deepEqual(answer, expected);

  await identity.send(
    new UpdateIdentityPoolCommand({
      IdentityPoolId: pool,
      IdentityPoolName: 'renamed',
      AllowUnauthenticatedIdentities: true,
      SupportedLoginProviders: { 'graph.facebook.com': '1234' },
      CognitoIdentityProviders: [{ ProviderName: USER_POOL_PROVIDER, ClientId: 'client1' }],
    }),
  );
  const { $metadata: _u, ...afterUpdate } = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: pool }));
  assert.deepEqual(afterUpdate, expected);

  // A second call replaces everything: the guest role and the mappings go.
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool, Roles: { authenticated: SIGNED_IN } }));
  const { $metadata: _r, ...replaced } = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: pool }));
  assert.deepEqual(replaced, { IdentityPoolId: pool, Roles: { authenticated: SIGNED_IN } });
});

test('a role that is not an IAM role ARN is refused as Cognito refuses it', async () => {
  const pool = await createPool();
  assert.deepEqual(await refused({ IdentityPoolId: pool, Roles: { authenticated: 'my-stack-SomeRole-KBKHTR8P6UC2' } }), {
    name: 'NotAuthorizedException',
    message: "Access to Role 'my-stack-SomeRole-KBKHTR8P6UC2' is forbidden.",
  });
  assert.equal(
    (await refused({ IdentityPoolId: pool, Roles: { authenticated: 'arn:aws:iam::000000000000:user/someone' } })).name,
    'NotAuthorizedException',
  );
  const rule = { Claim: 'sub', MatchType: 'Equals' as const, Value: 'x', RoleARN: 'arn:aws:s3:::bucket/role-ish' };
  assert.deepEqual(
    await refused({
      IdentityPoolId: pool,
      Roles: {},
      RoleMappings: { 'graph.facebook.com': { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [rule] } } },
    }),
    { name: 'NotAuthorizedException', message: "Access to Role 'arn:aws:s3:::bucket/role-ish' is forbidden." },
  );
  // A role key other than (un)authenticated breaks the model's pattern.
  assert.equal((await refused({ IdentityPoolId: pool, Roles: { admin: SIGNED_IN } })).name, 'InvalidParameterException');
});

test('a role mapping must name a provider of the pool, with AmbiguousRoleResolution, and Rules need their rules', async () => {
  const pool = await createPool();
  assert.deepEqual(
    await refused({
      IdentityPoolId: pool,
      Roles: {},
      RoleMappings: { [USER_POOL_PROVIDER]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } },
    }),
    {
      name: 'InvalidParameterException',
      message: `(${USER_POOL_PROVIDER}) is not a valid RoleMapping ProviderName or is not a configured provider.`,
    },
  );
  for (const key of [`${USER_POOL_PROVIDER}:other-client`, 'accounts.google.com', 'login.example.com']) {
    const answer = await refused({
      IdentityPoolId: pool,
      Roles: {},
      RoleMappings: { [key]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } },
    });
    assert.equal(answer.name, 'InvalidParameterException', key);
    assert.match(answer.message, /is not a valid RoleMapping ProviderName/, key);
  }
  const noResolution = await refused({ IdentityPoolId: pool, Roles: {}, RoleMappings: { 'graph.facebook.com': { Type: 'Token' } } });
  assert.equal(noResolution.name, 'InvalidParameterException');
  assert.match(noResolution.message, /AmbiguousRoleResolution is required/);
  const noRules = await refused({
    IdentityPoolId: pool,
    Roles: {},
    RoleMappings: { 'graph.facebook.com': { Type: 'Rules', AmbiguousRoleResolution: 'Deny' } },
  });
  assert.equal(noRules.name, 'InvalidParameterException');
  assert.match(noRules.message, /RulesConfiguration is required/);
  const rule = { Claim: 'sub', MatchType: 'Equals' as const, Value: 'x', RoleARN: SIGNED_IN };
  const tooMany = await refused({
    IdentityPoolId: pool,
    Roles: {},
    RoleMappings: {
      'graph.facebook.com': { Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: Array(26).fill(rule) } },
    },
  });
  assert.equal(tooMany.name, 'InvalidParameterException');
  assert.match(tooMany.message, /at most 25/);
  const badType = await refused({
    IdentityPoolId: pool,
    Roles: {},
    RoleMappings: { 'graph.facebook.com': { Type: 'Groups' as 'Token', AmbiguousRoleResolution: 'Deny' } },
  });
  assert.equal(badType.name, 'InvalidParameterException');
  // Nothing was stored by any refused call.
  assert.equal((await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: pool }))).RoleMappings, undefined);
});

test('roles of an unknown pool are ResourceNotFoundException, and the calls must be signed', async () => {
  const unknown = 'us-east-1:00000000-0000-4000-8000-000000000000';
  const set = await captureError(() => identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: unknown, Roles: {} })));
  assert.equal(set.name, 'ResourceNotFoundException');
  assert.equal(set.message, `IdentityPool '${unknown}' not found.`);
  const get = await captureError(() => identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: unknown })));
  assert.equal(get.name, 'ResourceNotFoundException');
  const anonymous = new CognitoIdentityClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'nope' },
  });
  try {
    const error = await captureError(() => anonymous.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: unknown })));
    assert.equal(error.name, 'UnrecognizedClientException');
  } finally {
    anonymous.destroy();
  }
});
