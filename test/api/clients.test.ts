import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserPoolClientSecretCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { effectiveExplicitAuthFlows, effectivePreventUserExistenceErrors } from '../../src/api/ops/clients/client-config.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
before(async () => {
  server = await startTestServer({}, { clock });
  const pool = await server.admin.send(
    new CreateUserPoolCommand({ PoolName: 'clients', Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] }),
  );
  poolId = pool.UserPool!.Id!;
  // Custom scopes (`api/read`) must belong to a resource server of the pool.
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'api',
      Name: 'API',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
    }),
  );
});
after(() => server.stop());

async function createClient(input: Partial<CreateUserPoolClientCommandInput> = {}): Promise<UserPoolClientType> {
  const created = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }));
  return created.UserPoolClient!;
}

async function describe(clientId: string, pool = poolId): Promise<UserPoolClientType> {
  return (await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }))).UserPoolClient!;
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
}

const OAUTH = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code' as const],
  AllowedOAuthScopes: ['openid', 'email'],
  CallbackURLs: ['https://app.example.com/callback', 'http://localhost:3000/cb', 'myapp://callback'],
};

test('a client created with only a name shows Cognito defaults', async () => {
  const client = await createClient({ ClientName: 'plain' });
  const { ClientId, CreationDate, LastModifiedDate, ...rest } = client;
  assert.match(ClientId!, /^[a-z0-9]{26}$/);
  assert.ok(CreationDate instanceof Date && LastModifiedDate instanceof Date);
  assert.deepEqual(rest, {
    UserPoolId: poolId,
    ClientName: 'plain',
    RefreshTokenValidity: 30,
    TokenValidityUnits: {},
    AllowedOAuthFlowsUserPoolClient: false,
    EnableTokenRevocation: true,
    EnablePropagateAdditionalUserContextData: false,
    AuthSessionValidity: 3,
  });
  assert.deepEqual(await describe(ClientId!), client);
  const record = (await server.services.store.clients.get(poolId, ClientId!))!;
  assert.deepEqual(effectiveExplicitAuthFlows(record), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
  assert.equal(effectivePreventUserExistenceErrors(record), 'LEGACY');
});

test('CreateUserPoolClient keeps the configuration it is given, secrets included', async () => {
  const client = await createClient({
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AccessTokenValidity: 3,
    IdTokenValidity: 30,
    RefreshTokenValidity: 0,
    TokenValidityUnits: { IdToken: 'minutes' },
    ReadAttributes: ['email', 'custom:tier'],
    WriteAttributes: ['email'],
    PreventUserExistenceErrors: 'ENABLED',
    ...OAUTH,
    DefaultRedirectURI: 'https://app.example.com/callback',
    LogoutURLs: ['https://app.example.com/'],
    SupportedIdentityProviders: ['COGNITO'],
  });
  assert.match(client.ClientSecret!, /^[a-z0-9]{51}$/);
  assert.deepEqual(client.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  assert.equal(client.AccessTokenValidity, 3);
  assert.equal(client.IdTokenValidity, 30);
  assert.equal(client.RefreshTokenValidity, 30, '0 means the 30-day default');
  assert.deepEqual(client.TokenValidityUnits, { IdToken: 'minutes' });
  assert.deepEqual(client.ReadAttributes, ['email', 'custom:tier']);
  assert.equal(client.PreventUserExistenceErrors, 'ENABLED');
  assert.deepEqual(client.CallbackURLs, OAUTH.CallbackURLs);
  assert.equal(client.DefaultRedirectURI, 'https://app.example.com/callback');
  assert.deepEqual(await describe(client.ClientId!), client);

  const custom = await createClient({ ClientSecret: 'my_own_client_secret_value_123456' });
  assert.equal(custom.ClientSecret, 'my_own_client_secret_value_123456');
  await expectError(
    () => createClient({ GenerateSecret: true, ClientSecret: 'my_own_client_secret_value_123456' }),
    'InvalidParameterException',
    'You cannot specify both GenerateSecret as true and provide a ClientSecret value.',
  );
  await expectError(
    () => createClient({ UserPoolId: 'us-east-1_missing00' }),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
});

test('CreateUserPoolClient refuses auth flows and token validities Cognito refuses', async () => {
  await expectError(
    () => createClient({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    'InvalidParameterException',
    "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.",
  );
  const range = 'Invalid range for token validity.';
  await expectError(
    () => createClient({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }),
    'InvalidParameterException',
    range,
  );
  await expectError(
    () => createClient({ IdTokenValidity: 4, TokenValidityUnits: { IdToken: 'minutes' } }),
    'InvalidParameterException',
    range,
  );
  await expectError(() => createClient({ AccessTokenValidity: 25 }), 'InvalidParameterException', range);
  await expectError(
    () => createClient({ RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } }),
    'InvalidParameterException',
    range,
  );
  await expectError(() => createClient({ RefreshTokenValidity: 3651 }), 'InvalidParameterException', range);
  await expectError(
    () => createClient({ AccessTokenValidity: 24, RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } }),
    'InvalidParameterException',
    'Access and Id Token expiration times must be less than or equal to refresh token expiration times.',
  );
  // Legacy names alone are still accepted, as are the bounds themselves.
  const legacy = await createClient({
    ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH'],
    AccessTokenValidity: 5,
    TokenValidityUnits: { AccessToken: 'minutes' },
    RefreshTokenValidity: 3650,
  });
  assert.deepEqual(legacy.ExplicitAuthFlows, ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH']);
});

test('CreateUserPoolClient refuses OAuth settings Cognito refuses', async () => {
  await expectError(
    () => createClient({ AllowedOAuthFlowsUserPoolClient: true }),
    'InvalidParameterException',
    'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
  );
  await expectError(
    () => createClient({ ...OAUTH, GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'] }),
    'InvalidOAuthFlowException',
    'client_credentials flow can not be selected along with code flow or implicit flow.',
  );
  await expectError(
    () =>
      createClient({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/read'] }),
    'InvalidOAuthFlowException',
    'client_credentials flow can not be selected if client does not have a client secret.',
  );
  await expectError(
    () =>
      createClient({
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['openid'],
      }),
    'InvalidOAuthFlowException',
    'openid is not supported with client_credentials flow',
  );
  await expectError(
    () => createClient({ ...OAUTH, CallbackURLs: undefined }),
    'InvalidOAuthFlowException',
    'CallbackUrls can not be empty when code flow or implicit flow is selected',
  );
  await expectError(
    () => createClient({ ...OAUTH, CallbackURLs: ['http://app.example.com/cb'] }),
    'InvalidParameterException',
    'http://app.example.com/cb cannot use the HTTP protocol.',
  );
  await expectError(
    () => createClient({ ...OAUTH, LogoutURLs: ['https://app.example.com/#out'] }),
    'InvalidParameterException',
    'https://app.example.com/#out cannot use fragment',
  );
  await expectError(
    () => createClient({ ...OAUTH, DefaultRedirectURI: 'https://elsewhere.example.com/' }),
    'InvalidParameterException',
    'The default redirect URI https://elsewhere.example.com/ is not in the callback URIs list.',
  );
  await expectError(
    () => createClient({ ...OAUTH, AllowedOAuthScopes: ['openid', 'superpowers'] }),
    'ScopeDoesNotExistException',
    'Invalid scope requested: superpowers',
  );
  await expectError(
    () => createClient({ AllowedOAuthFlows: ['token' as 'code'] }),
    'InvalidParameterException',
    /^1 validation error detected: Value '\[token\]' at 'allowedOAuthFlows' failed to satisfy constraint: .*\[implicit, client_credentials, code\]/,
  );
  const m2m = await createClient({
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['api/read'],
  });
  assert.deepEqual(m2m.AllowedOAuthFlows, ['client_credentials']);
});

test('CreateUserPoolClient checks attribute permissions and analytics against Cognito rules', async () => {
  await expectError(
    () => createClient({ ReadAttributes: ['email', 'custom:missing'] }),
    'InvalidParameterException',
    'Invalid read attributes specified while creating a client',
  );
  await expectError(
    () => createClient({ WriteAttributes: ['email_verified'] }),
    'InvalidParameterException',
    'Invalid write attributes specified while creating a client',
  );
  await expectError(
    () =>
      createClient({
        AnalyticsConfiguration: {
          ApplicationArn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/d70b2ba36a8c4dc5a04a0451a31a1e12',
          ApplicationId: 'd70b2ba36a8c4dc5a04a0451a31a1e12',
        },
      }),
    'InvalidParameterException',
    'Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid',
  );
});

test('DescribeUserPoolClient names the unknown pool or client', async () => {
  await expectError(
    () => describe('nosuchclient0000000000000000'),
    'ResourceNotFoundException',
    'User pool client nosuchclient0000000000000000 does not exist.',
  );
  await expectError(
    () => describe('nosuchclient', 'us-east-1_missing00'),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
  const other = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'other' }));
  const client = await createClient();
  await expectError(
    () => describe(client.ClientId!, other.UserPool!.Id!),
    'ResourceNotFoundException',
    `User pool client ${client.ClientId} does not exist.`,
  );
});

test('UpdateUserPoolClient replaces the configuration and keeps name and secret', async () => {
  const client = await createClient({
    ClientName: 'web',
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    AccessTokenValidity: 2,
    PreventUserExistenceErrors: 'ENABLED',
    ...OAUTH,
  });
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(1000, async () => {
    const updated = (
      await server.admin.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: client.ClientId,
          IdTokenValidity: 10,
          TokenValidityUnits: { IdToken: 'minutes' },
        }),
      )
    ).UserPoolClient!;
    const { LastModifiedDate, ...rest } = updated;
    assert.equal(LastModifiedDate!.getTime(), client.LastModifiedDate!.getTime() + 1000);
    assert.deepEqual(rest, {
      UserPoolId: poolId,
      ClientName: 'web',
      ClientId: client.ClientId,
      ClientSecret: client.ClientSecret,
      CreationDate: client.CreationDate,
      IdTokenValidity: 10,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes' },
      AllowedOAuthFlowsUserPoolClient: false,
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AuthSessionValidity: 3,
    });
    assert.deepEqual(await describe(client.ClientId!), updated);

    const renamed = (
      await server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientName: 'web-2' }))
    ).UserPoolClient!;
    assert.equal(renamed.ClientName, 'web-2');
    await expectError(
      () =>
        server.admin.send(
          new UpdateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientId: client.ClientId,
            ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
          }),
        ),
      'InvalidParameterException',
      "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.",
    );
    await expectError(
      () =>
        server.admin.send(
          new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ReadAttributes: ['nickname2'] }),
        ),
      'InvalidParameterException',
      'Invalid read attributes specified while updating a client',
    );
    const publicClient = await createClient();
    await expectError(
      () =>
        server.admin.send(
          new UpdateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientId: publicClient.ClientId,
            AllowedOAuthFlows: ['client_credentials'],
            AllowedOAuthScopes: ['api/read'],
          }),
        ),
      'InvalidOAuthFlowException',
      'client_credentials flow can not be selected if client does not have a client secret.',
    );
    await expectError(
      () => server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })),
      'ResourceNotFoundException',
      'User pool client nosuchclient does not exist.',
    );
  });
});

test('DeleteUserPoolClient removes the client', async () => {
  const client = await createClient();
  await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
  await expectError(() => describe(client.ClientId!), 'ResourceNotFoundException', `User pool client ${client.ClientId} does not exist.`);
  await expectError(
    () => server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId })),
    'ResourceNotFoundException',
    `User pool client ${client.ClientId} does not exist.`,
  );
  await expectError(
    () => server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: 'us-east-1_missing00', ClientId: client.ClientId })),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
});

test('ListUserPoolClients pages through the pool clients with NextToken', async () => {
  const pool = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'listing' }))).UserPool!.Id!;
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push(
      (await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: `c${i}` }))).UserPoolClient!.ClientId!,
    );
  }
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await server.admin.send(
      new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 2, ...(token ? { NextToken: token } : {}) }),
    );
    assert.ok(page.UserPoolClients!.length <= 2);
    for (const c of page.UserPoolClients!) {
      assert.deepEqual(Object.keys(c).sort(), ['ClientId', 'ClientName', 'UserPoolId']);
      assert.equal(c.UserPoolId, pool);
      seen.push(c.ClientId!);
    }
    token = page.NextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual([...seen].sort(), [...ids].sort());

  const all = await server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool }));
  assert.equal(all.UserPoolClients!.length, 5);
  assert.equal(all.NextToken, undefined);
  await expectError(
    () => server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_missing00' })),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
  await expectError(
    () => server.admin.send(new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 0 })),
    'InvalidParameterException',
    "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test('client secrets rotate: add a second, list without values, delete the old one', async () => {
  const client = await createClient({ GenerateSecret: true });
  const [original] = (await server.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: client.ClientId })))
    .ClientSecrets!;
  assert.deepEqual(Object.keys(original!).sort(), ['ClientSecretCreateDate', 'ClientSecretId']);
  assert.equal(original!.ClientSecretId, `${client.ClientId}--${client.CreationDate!.getTime()}`);

  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(1000, async () => {
    const added = (await server.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId })))
      .ClientSecretDescriptor!;
    assert.match(added.ClientSecretId!, new RegExp(`^${client.ClientId}--\\d+$`));
    assert.match(added.ClientSecretValue!, /^[a-z0-9]{51}$/);
    assert.equal(added.ClientSecretCreateDate!.getTime(), clock.now());

    const listed = (await server.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: client.ClientId })))
      .ClientSecrets!;
    assert.deepEqual(
      listed.map((s) => s.ClientSecretId),
      [original!.ClientSecretId, added.ClientSecretId],
    );
    assert.ok(listed.every((s) => s.ClientSecretValue === undefined));
    assert.equal(await secretValues(client.ClientId!).then((v) => v.length), 2);

    await expectError(
      () => server.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId })),
      'LimitExceededException',
      `Client ${client.ClientId} already has the maximum of 2 client secrets.`,
    );

    await server.admin.send(
      new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: original!.ClientSecretId }),
    );
    assert.equal((await describe(client.ClientId!)).ClientSecret, added.ClientSecretValue);
    await expectError(
      () =>
        server.admin.send(
          new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientSecretId: added.ClientSecretId }),
        ),
      'InvalidParameterException',
      'Cannot delete the last client secret of an app client.',
    );
    await expectError(
      () =>
        server.admin.send(
          new DeleteUserPoolClientSecretCommand({
            UserPoolId: poolId,
            ClientId: client.ClientId,
            ClientSecretId: original!.ClientSecretId,
          }),
        ),
      'ResourceNotFoundException',
      `Client secret ${original!.ClientSecretId} does not exist.`,
    );

    const custom = (
      await server.admin.send(
        new AddUserPoolClientSecretCommand({
          UserPoolId: poolId,
          ClientId: client.ClientId,
          ClientSecret: 'rotated_secret_value_0123456789',
        }),
      )
    ).ClientSecretDescriptor!;
    assert.equal(custom.ClientSecretValue, undefined, 'a secret the caller chose is not echoed back');
    assert.ok((await secretValues(client.ClientId!)).includes('rotated_secret_value_0123456789'));
  });
});

test('client secret operations refuse public clients and unknown clients', async () => {
  const publicClient = await createClient();
  await expectError(
    () => server.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: publicClient.ClientId })),
    'InvalidParameterException',
    `Client ${publicClient.ClientId} has no client secret; secrets can only be added to a confidential client.`,
  );
  assert.deepEqual(
    (await server.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: publicClient.ClientId }))).ClientSecrets,
    [],
  );
  await expectError(
    () => server.admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })),
    'ResourceNotFoundException',
    'User pool client nosuchclient does not exist.',
  );
  await expectError(
    () => server.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: 'us-east-1_missing00', ClientId: 'nosuchclient' })),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
});

/** The clear secrets the store holds for a client (sealed at rest, opened by the store). */
async function secretValues(clientId: string): Promise<string[]> {
  const record = await server.services.store.clients.get(poolId, clientId);
  return record!.secrets.map((s) => s.secret);
}
