import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteTermsCommand,
  DeleteUserPoolClientCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateTermsCommand,
  type CreateTermsCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, expectCognitoError as expectError, type TestServer } from '../support/server.js';

let server: TestServer;
const clock = serverForTests((started) => {
  server = started;
});

async function newPoolAndClient(): Promise<{ poolId: string; clientId: string }> {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'terms' }));
  const poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

function termsInput(poolId: string, clientId: string, overrides: Partial<CreateTermsCommandInput> = {}): CreateTermsCommandInput {
  return {
    UserPoolId: poolId,
    ClientId: clientId,
    TermsName: 'terms-of-use',
    TermsSource: 'LINK',
    Enforcement: 'NONE',
    Links: { 'cognito:default': 'https://example.com/terms', 'cognito:french': 'https://example.com/fr/conditions' },
    ...overrides,
  };
}

test('CreateTerms answers the document and DescribeTerms reads it back', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const created = await server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId)));
  const terms = created.Terms!;
  assert.match(terms.TermsId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(terms.UserPoolId, poolId);
  assert.equal(terms.ClientId, clientId);
  assert.equal(terms.TermsName, 'terms-of-use');
  assert.equal(terms.TermsSource, 'LINK');
  assert.equal(terms.Enforcement, 'NONE');
  assert.deepEqual(terms.Links, { 'cognito:default': 'https://example.com/terms', 'cognito:french': 'https://example.com/fr/conditions' });
  assert.ok(terms.CreationDate instanceof Date);
  assert.deepEqual(terms.LastModifiedDate, terms.CreationDate);

  const described = await server.admin.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId! }));
  assert.deepEqual(described.Terms, terms);

  // Links are optional in the model: a document may start without any.
  const bare = await server.admin.send(
    new CreateTermsCommand(termsInput(poolId, clientId, { TermsName: 'privacy-policy', Links: undefined })),
  );
  assert.deepEqual(bare.Terms!.Links, {});
});

test('CreateTerms refuses a second document of one name for a client, but not for another client', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  await server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId)));
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId))),
    'TermsExistsException',
    `Terms terms-of-use already exist for app client ${clientId}.`,
  );
  const other = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mobile' }));
  const second = await server.admin.send(new CreateTermsCommand(termsInput(poolId, other.UserPoolClient!.ClientId!)));
  assert.equal(second.Terms!.ClientId, other.UserPoolClient!.ClientId);
});

test('CreateTerms refuses an unknown pool or client and input outside the model', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput('us-east-1_nosuchpool', clientId))),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput(poolId, 'nosuchclient'))),
    'ResourceNotFoundException',
    'User pool client nosuchclient does not exist.',
  );
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId, { TermsName: 'cookie-policy' }))),
    'InvalidParameterException',
    /^1 validation error detected: Value 'cookie-policy' at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId, { Links: { 'cognito:klingon': 'https://example.com' } }))),
    'InvalidParameterException',
    /at 'links' failed to satisfy constraint: Map key must satisfy constraint: \[Member must satisfy regular expression pattern/,
  );
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId, { Links: { 'cognito:default': 'has space' } }))),
    'InvalidParameterException',
    /at 'links' failed to satisfy constraint: Map value must satisfy constraint: \[.*Member must satisfy regular expression pattern/,
  );
  const fourteen = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`cognito:${i}`, 'https://example.com']));
  await expectError(
    () => server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId, { Links: fourteen }))),
    'InvalidParameterException',
    /at 'links' failed to satisfy constraint: Member must have length less than or equal to 13/,
  );
  await expectError(
    () =>
      server.admin.send(
        new CreateTermsCommand(termsInput(poolId, clientId, { TermsSource: 'FILE' as CreateTermsCommandInput['TermsSource'] })),
      ),
    'InvalidParameterException',
    /at 'termsSource' failed to satisfy constraint: Member must satisfy enum value set: \[LINK\]/,
  );
});

test('UpdateTerms changes what is given, keeps the rest, and refuses a name the client has', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const created = (await server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId)))).Terms!;
  clock.advance(60_000);
  const updated = (
    await server.admin.send(
      new UpdateTermsCommand({ UserPoolId: poolId, TermsId: created.TermsId!, Links: { 'cognito:default': 'https://example.com/v2' } }),
    )
  ).Terms!;
  assert.deepEqual(updated.Links, { 'cognito:default': 'https://example.com/v2' });
  assert.equal(updated.TermsName, 'terms-of-use');
  assert.equal(updated.ClientId, clientId);
  assert.deepEqual(updated.CreationDate, created.CreationDate);
  assert.equal(updated.LastModifiedDate!.getTime(), created.LastModifiedDate!.getTime() + 60_000);
  const described = await server.admin.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: created.TermsId! }));
  assert.deepEqual(described.Terms, updated);

  const privacy = (await server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId, { TermsName: 'privacy-policy' })))).Terms!;
  await expectError(
    () => server.admin.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: privacy.TermsId!, TermsName: 'terms-of-use' })),
    'TermsExistsException',
    `Terms terms-of-use already exist for app client ${clientId}.`,
  );
  // Renaming to its own name is no clash.
  const same = await server.admin.send(
    new UpdateTermsCommand({ UserPoolId: poolId, TermsId: privacy.TermsId!, TermsName: 'privacy-policy' }),
  );
  assert.equal(same.Terms!.TermsName, 'privacy-policy');
});

test('DescribeTerms, UpdateTerms and DeleteTerms answer ResourceNotFoundException for an unknown ID or a document of another pool', async () => {
  const first = await newPoolAndClient();
  const second = await newPoolAndClient();
  const terms = (await server.admin.send(new CreateTermsCommand(termsInput(first.poolId, first.clientId)))).Terms!;
  const unknown = '11111111-2222-4333-8444-555555555555';
  for (const [poolId, termsId] of [
    [first.poolId, unknown],
    [second.poolId, terms.TermsId!],
  ] as const) {
    const message = `Terms ${termsId} does not exist.`;
    await expectError(
      () => server.admin.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: termsId })),
      'ResourceNotFoundException',
      message,
    );
    await expectError(
      () => server.admin.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: termsId, Enforcement: 'NONE' })),
      'ResourceNotFoundException',
      message,
    );
    await expectError(
      () => server.admin.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: termsId })),
      'ResourceNotFoundException',
      message,
    );
  }
  await expectError(
    () => server.admin.send(new DescribeTermsCommand({ UserPoolId: first.poolId, TermsId: 'not-a-uuid' })),
    'InvalidParameterException',
    /at 'termsId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  );
});

test('DeleteTerms removes the document, and deleting its client removes its documents', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const terms = (await server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId)))).Terms!;
  const [created] = await server.services.store.auditEvents.list({ poolId, limit: 1 });
  assert.deepEqual([created?.event, created?.clientId, created?.detail], ['CreateTerms', clientId, { TermsName: 'terms-of-use' }]);
  assert.deepEqual(
    await server.admin
      .send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId! }))
      .then((r) => r.$metadata.httpStatusCode),
    200,
  );
  await expectError(
    () => server.admin.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId! })),
    'ResourceNotFoundException',
    `Terms ${terms.TermsId} does not exist.`,
  );
  // The name is free again.
  const [deleted] = await server.services.store.auditEvents.list({ poolId, limit: 1 });
  assert.deepEqual([deleted?.event, deleted?.detail], ['DeleteTerms', { TermsId: terms.TermsId }]);
  await server.admin.send(new CreateTermsCommand(termsInput(poolId, clientId)));
  await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.deepEqual((await server.admin.send(new ListTermsCommand({ UserPoolId: poolId }))).Terms, []);
});

test('ListTerms pages through every client document of the pool', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const other = (await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mobile' }))).UserPoolClient!
    .ClientId!;
  const ids = new Set<string>();
  for (const [client, name] of [
    [clientId, 'terms-of-use'],
    [clientId, 'privacy-policy'],
    [other, 'terms-of-use'],
  ] as const) {
    ids.add((await server.admin.send(new CreateTermsCommand(termsInput(poolId, client, { TermsName: name })))).Terms!.TermsId!);
  }
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await server.admin.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: token }));
    assert.ok(page.Terms!.length <= 2);
    for (const item of page.Terms!) {
      assert.deepEqual(Object.keys(item).sort(), ['CreationDate', 'Enforcement', 'LastModifiedDate', 'TermsId', 'TermsName']);
      seen.push(item.TermsId!);
    }
    token = page.NextToken;
  } while (token);
  assert.deepEqual(new Set(seen), ids);
  assert.equal(seen.length, 3);

  await expectError(
    () => server.admin.send(new ListTermsCommand({ UserPoolId: poolId, NextToken: 'bogus!' })),
    'InvalidParameterException',
    /^Paging marker bogus! is invalid for request /,
  );
  await expectError(
    () => server.admin.send(new ListTermsCommand({ UserPoolId: 'us-east-1_nosuchpool' })),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
});
