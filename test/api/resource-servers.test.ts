import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DescribeResourceServerCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

async function newPool(): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'resource-servers' }));
  return created.UserPool!.Id!;
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
}

const WEATHER_SCOPES = [
  { ScopeName: 'read', ScopeDescription: 'Read the forecast' },
  { ScopeName: 'write:all', ScopeDescription: 'Change the forecast' },
];

test('CreateResourceServer answers the server and DescribeResourceServer reads it back', async () => {
  const poolId = await newPool();
  const created = await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://weather.example.com/v1',
      Name: 'Weather API',
      Scopes: WEATHER_SCOPES,
    }),
  );
  const expected = { UserPoolId: poolId, Identifier: 'https://weather.example.com/v1', Name: 'Weather API', Scopes: WEATHER_SCOPES };
  assert.deepEqual(created.ResourceServer, expected);
  const described = await server.admin.send(
    new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://weather.example.com/v1' }),
  );
  assert.deepEqual(described.ResourceServer, expected);

  const bare = await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'bare', Name: 'Bare' }));
  assert.deepEqual(bare.ResourceServer, { UserPoolId: poolId, Identifier: 'bare', Name: 'Bare', Scopes: [] });
});

test('CreateResourceServer refuses a duplicate identifier, an unknown pool and bad input', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API' }));
  await expectError(
    () => server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'Other' })),
    'InvalidParameterException',
    `api already exists in user pool ${poolId}.`,
  );
  await expectError(
    () => server.admin.send(new CreateResourceServerCommand({ UserPoolId: 'us-east-1_nosuchpool', Identifier: 'api', Name: 'API' })),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
  await expectError(
    () => server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'has space', Name: 'API' })),
    'InvalidParameterException',
    /^1 validation error detected: Value 'has space' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
  await expectError(
    () =>
      server.admin.send(
        new CreateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: 'slashy',
          Name: 'API',
          Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'no slashes in scope names' }],
        }),
      ),
    'InvalidParameterException',
    /^1 validation error detected: Value 'a\/b' at 'scopes\.1\.member\.scopeName' failed to satisfy constraint/,
  );
  const tooMany = Array.from({ length: 101 }, (_, i) => ({ ScopeName: `s${i}`, ScopeDescription: 'd' }));
  await expectError(
    () => server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'many', Name: 'API', Scopes: tooMany })),
    'InvalidParameterException',
    /at 'scopes' failed to satisfy constraint: Member must have length less than or equal to 100/,
  );
});

test('UpdateResourceServer replaces the name and the scopes', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: WEATHER_SCOPES }));
  const updated = await server.admin.send(
    new UpdateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'api',
      Name: 'Renamed',
      Scopes: [{ ScopeName: 'admin', ScopeDescription: 'Everything' }],
    }),
  );
  assert.deepEqual(updated.ResourceServer, {
    UserPoolId: poolId,
    Identifier: 'api',
    Name: 'Renamed',
    Scopes: [{ ScopeName: 'admin', ScopeDescription: 'Everything' }],
  });
  const cleared = await server.admin.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'Renamed' }));
  assert.deepEqual(cleared.ResourceServer?.Scopes, []);
  const described = await server.admin.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'api' }));
  assert.deepEqual(described.ResourceServer, { UserPoolId: poolId, Identifier: 'api', Name: 'Renamed', Scopes: [] });
});

test('Describe, Update and Delete of an unknown resource server answer ResourceNotFoundException', async () => {
  const poolId = await newPool();
  const message = 'Resource server nope does not exist.';
  await expectError(
    () => server.admin.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' })),
    'ResourceNotFoundException',
    message,
  );
  await expectError(
    () => server.admin.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope', Name: 'N' })),
    'ResourceNotFoundException',
    message,
  );
  await expectError(
    () => server.admin.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' })),
    'ResourceNotFoundException',
    message,
  );
  await expectError(
    () => server.admin.send(new DescribeResourceServerCommand({ UserPoolId: 'us-east-1_nosuchpool', Identifier: 'nope' })),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
});

test('DeleteResourceServer removes it, and the identifier can be used again', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API' }));
  const deleted = await server.admin.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'api' }));
  assert.equal(deleted.$metadata.httpStatusCode, 200);
  await expectError(
    () => server.admin.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'api' })),
    'ResourceNotFoundException',
    'Resource server api does not exist.',
  );
  const again = await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'Again' }));
  assert.equal(again.ResourceServer?.Name, 'Again');
});

test('ListResourceServers pages in identifier order and keeps pools apart', async () => {
  const poolId = await newPool();
  const otherPool = await newPool();
  const identifiers = ['e', 'a', 'd', 'b', 'c'];
  for (const identifier of identifiers) {
    await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: identifier, Name: `N ${identifier}` }));
  }
  await server.admin.send(new CreateResourceServerCommand({ UserPoolId: otherPool, Identifier: 'a', Name: 'other pool' }));

  const all = await server.admin.send(new ListResourceServersCommand({ UserPoolId: poolId }));
  assert.deepEqual(
    all.ResourceServers?.map((s) => s.Identifier),
    ['a', 'b', 'c', 'd', 'e'],
  );
  assert.equal(all.NextToken, undefined);
  assert.deepEqual(all.ResourceServers?.[0], { UserPoolId: poolId, Identifier: 'a', Name: 'N a', Scopes: [] });

  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await server.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: token }));
    seen.push(...(page.ResourceServers ?? []).map((s) => s.Identifier!));
    token = page.NextToken;
    pages += 1;
  } while (token !== undefined);
  assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(pages, 3);

  const other = await server.admin.send(new ListResourceServersCommand({ UserPoolId: otherPool, MaxResults: 50 }));
  assert.deepEqual(other.ResourceServers, [{ UserPoolId: otherPool, Identifier: 'a', Name: 'other pool', Scopes: [] }]);
  const empty = await server.admin.send(new ListResourceServersCommand({ UserPoolId: await newPool() }));
  assert.deepEqual(empty.ResourceServers, []);
  await expectError(
    () => server.admin.send(new DescribeResourceServerCommand({ UserPoolId: otherPool, Identifier: 'b' })),
    'ResourceNotFoundException',
    'Resource server b does not exist.',
  );
});

test('ListResourceServers refuses bad limits, foreign tokens and unknown pools', async () => {
  const poolId = await newPool();
  await expectError(
    () => server.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 51 })),
    'InvalidParameterException',
    /^1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50/,
  );
  await expectError(
    () => server.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 0 })),
    'InvalidParameterException',
    /^1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1/,
  );
  await expectError(
    () => server.admin.send(new ListResourceServersCommand({ UserPoolId: poolId, NextToken: 'not+a+token' })),
    'InvalidParameterException',
    /^Paging marker not\+a\+token is invalid for request /,
  );
  await expectError(
    () => server.admin.send(new ListResourceServersCommand({ UserPoolId: 'us-east-1_nosuchpool' })),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
});

test('DeleteUserPool takes its resource servers with it', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API' }));
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(await server.services.store.resourceServers.get(poolId, 'api'), undefined);
});

test('app clients may allow only scopes of existing resource servers', async () => {
  const poolId = await newPool();
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://weather.example.com/v1',
      Name: 'W',
      Scopes: WEATHER_SCOPES,
    }),
  );
  const m2m = (scopes: string[]): CreateUserPoolClientCommandInput => ({
    UserPoolId: poolId,
    ClientName: 'm2m',
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: scopes,
  });
  const created = await server.admin.send(
    new CreateUserPoolClientCommand(m2m(['https://weather.example.com/v1/read', 'https://weather.example.com/v1/write:all'])),
  );
  assert.deepEqual(created.UserPoolClient?.AllowedOAuthScopes, [
    'https://weather.example.com/v1/read',
    'https://weather.example.com/v1/write:all',
  ]);

  for (const scope of ['https://weather.example.com/v1/delete', 'https://weather.example.com/read', 'api/read', '/read']) {
    await expectError(
      () => server.admin.send(new CreateUserPoolClientCommand(m2m([scope]))),
      'ScopeDoesNotExistException',
      `Invalid scope requested: ${scope}`,
    );
  }

  // The standard scopes need no resource server.
  const web = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin', 'https://weather.example.com/v1/read'],
      CallbackURLs: ['https://app.example.com/cb'],
    }),
  );
  const clientId = web.UserPoolClient!.ClientId!;
  const update = (scopes: string[]) =>
    server.admin.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: scopes,
        CallbackURLs: ['https://app.example.com/cb'],
      }),
    );
  await expectError(
    () => update(['openid', 'https://weather.example.com/v1/admin']),
    'ScopeDoesNotExistException',
    'Invalid scope requested: https://weather.example.com/v1/admin',
  );
  // A scope becomes usable once its resource server defines it.
  await server.admin.send(
    new UpdateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://weather.example.com/v1',
      Name: 'W',
      Scopes: [...WEATHER_SCOPES, { ScopeName: 'admin', ScopeDescription: 'Everything' }],
    }),
  );
  const updated = await update(['openid', 'https://weather.example.com/v1/admin']);
  assert.deepEqual(updated.UserPoolClient?.AllowedOAuthScopes, ['openid', 'https://weather.example.com/v1/admin']);

  // Another pool's resource server does not count.
  const otherPool = await newPool();
  await expectError(
    () => server.admin.send(new CreateUserPoolClientCommand({ ...m2m(['https://weather.example.com/v1/read']), UserPoolId: otherPool })),
    'ScopeDoesNotExistException',
    'Invalid scope requested: https://weather.example.com/v1/read',
  );
});
