import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateManagedLoginBrandingCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  UpdateManagedLoginBrandingCommand,
  type UpdateManagedLoginBrandingCommandInput,
  type ManagedLoginBrandingType,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';

let server: TestServer;
const clock = serverForTests((started) => {
  server = started;
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const SVG = new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
const SETTINGS = {
  categories: { global: { colorSchemeMode: 'LIGHT' } },
  components: { primaryButton: { lightMode: { defaults: { backgroundColor: 'c0ffeeff', textColor: '000000ff' } } } },
};

async function newPoolAndClient(): Promise<{ poolId: string; clientId: string }> {
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'styles' }))).UserPool!.Id!;
  const clientId = (await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!
    .ClientId!;
  return { poolId, clientId };
}

/** A style with SETTINGS and a light-mode FORM_LOGO; its ID. */
async function styleWithLogo(poolId: string, clientId: string): Promise<string> {
  const created = await server.admin.send(
    new CreateManagedLoginBrandingCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: SETTINGS,
      Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG }],
    }),
  );
  return created.ManagedLoginBranding!.ManagedLoginBrandingId!;
}

async function expectError(fn: () => Promise<unknown>, name: string, message?: string): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  if (message !== undefined) assert.equal(error.message, message);
}

async function byClient(poolId: string, clientId: string, merged = false): Promise<ManagedLoginBrandingType> {
  return (
    await server.admin.send(
      new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId, ReturnMergedResources: merged }),
    )
  ).ManagedLoginBranding!;
}

test('Cognito-provided values: a v4 UUID, no Settings, an empty Assets list, read back by ID and by client', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const created = (
    await server.admin.send(
      new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }),
    )
  ).ManagedLoginBranding!;
  assert.match(created.ManagedLoginBrandingId!, UUID_V4);
  assert.equal(created.UserPoolId, poolId);
  assert.equal(created.UseCognitoProvidedValues, true);
  assert.equal(created.Settings, undefined);
  assert.deepEqual(created.Assets, []);
  assert.equal(created.CreationDate?.getTime(), clock.now());
  assert.equal(created.LastModifiedDate?.getTime(), clock.now());

  const byId = (
    await server.admin.send(
      new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: created.ManagedLoginBrandingId }),
    )
  ).ManagedLoginBranding!;
  assert.deepEqual(byId, created);
  assert.deepEqual(await byClient(poolId, clientId), created);

  // ReturnMergedResources: Cognito's defaults where the style sets nothing.
  const merged = await byClient(poolId, clientId, true);
  const settings = merged.Settings as { categories: { global: { colorSchemeMode: string } } };
  assert.equal(settings.categories.global.colorSchemeMode, 'LIGHT');
});

test('one style per client: a second create is ManagedLoginBrandingExistsException; another client may have its own', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  await server.admin.send(
    new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }),
  );
  await expectError(
    () => server.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS })),
    'ManagedLoginBrandingExistsException',
    `A ManagedLoginBranding already exists for client ${clientId}`,
  );
  const other = (await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other' }))).UserPoolClient!
    .ClientId!;
  const created = await server.admin.send(
    new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: other, Settings: SETTINGS }),
  );
  assert.deepEqual(created.ManagedLoginBranding!.Settings, SETTINGS);
});

test('settings and assets are stored as given, with the bytes back in Describe', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const created = (
    await server.admin.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        UseCognitoProvidedValues: false,
        Settings: SETTINGS,
        Assets: [
          { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG },
          { Category: 'FAVICON_SVG', ColorMode: 'DYNAMIC', Extension: 'SVG', Bytes: SVG, ResourceId: 'icon 1' },
        ],
      }),
    )
  ).ManagedLoginBranding!;
  assert.equal(created.UseCognitoProvidedValues, false);
  assert.deepEqual(created.Settings, SETTINGS);
  assert.deepEqual(created.Assets, [
    { Category: 'FAVICON_SVG', ColorMode: 'DYNAMIC', Extension: 'SVG', Bytes: SVG, ResourceId: 'icon 1' },
    { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG },
  ]);
  assert.deepEqual(await byClient(poolId, clientId), created);

  // Merged: the style's own colour wins, Cognito's fill the rest.
  const merged = (await byClient(poolId, clientId, true)).Settings as {
    components: {
      primaryButton: { lightMode: { defaults: { backgroundColor: string } } };
      pageBackground: { lightMode: { color: string } };
    };
  };
  assert.equal(merged.components.primaryButton.lightMode.defaults.backgroundColor, 'c0ffeeff');
  assert.equal(merged.components.pageBackground.lightMode.color, 'ffffffff');
});

test('create needs UseCognitoProvidedValues or Settings, not both, and an image its Extension names', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const message = 'useCognitoProvidedValues or settings should be specified (but not both)';
  for (const request of [
    {},
    { UseCognitoProvidedValues: false },
    { UseCognitoProvidedValues: true, Settings: SETTINGS },
    {
      UseCognitoProvidedValues: true,
      Assets: [{ Category: 'FORM_LOGO' as const, ColorMode: 'LIGHT' as const, Extension: 'PNG' as const, Bytes: PNG }],
    },
  ]) {
    await expectError(
      () => server.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, ...request })),
      'InvalidParameterException',
      message,
    );
  }
  await expectError(
    () =>
      server.admin.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          Settings: SETTINGS,
          Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'JPEG', Bytes: PNG }],
        }),
      ),
    'InvalidParameterException',
    'The asset of category FORM_LOGO is not a valid JPEG image.',
  );
  await expectError(
    () =>
      server.admin.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          Settings: SETTINGS,
          Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: new Uint8Array(1_000_001) }],
        }),
      ),
    'InvalidParameterException',
  );
  // Nothing was stored by any of these.
  await expectError(
    () => byClient(poolId, clientId),
    'ResourceNotFoundException',
    `ManagedLoginBranding for client ${clientId} does not exist.`,
  );

  // An asset of the largest size: 1,333,336 bytes of base64, over the 1 MiB body limit of other
  // operations and under these operations' 2 MB.
  const largest = new Uint8Array(1_000_000);
  largest.set(PNG);
  const created = await server.admin.send(
    new CreateManagedLoginBrandingCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: SETTINGS,
      Assets: [{ Category: 'PAGE_BACKGROUND', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: largest }],
    }),
  );
  assert.equal(created.ManagedLoginBranding!.Assets![0]!.Bytes!.length, 1_000_000);
  const other = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'x', AuthParameters: { PAD: 'x'.repeat(1_200_000) } }),
  });
  assert.equal(other.status, 413, 'other operations keep the configured limit');
  assert.deepEqual(await other.json(), { __type: 'SerializationException', message: 'Request body is too large.' });
});

test('unknown pool, client and style IDs, and a malformed style ID, get Cognito’s errors', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  await expectError(
    () =>
      server.admin.send(
        new CreateManagedLoginBrandingCommand({ UserPoolId: 'us-east-1_nothere1', ClientId: clientId, UseCognitoProvidedValues: true }),
      ),
    'ResourceNotFoundException',
  );
  await expectError(
    () =>
      server.admin.send(
        new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: 'nosuchclient', UseCognitoProvidedValues: true }),
      ),
    'ResourceNotFoundException',
  );
  const unknown = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
  await expectError(
    () => server.admin.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: unknown })),
    'ResourceNotFoundException',
    'ManagedLoginBranding does not exist.',
  );
  await expectError(
    () => server.admin.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: unknown })),
    'ResourceNotFoundException',
    'ManagedLoginBranding does not exist.',
  );
  await expectError(
    () =>
      server.admin.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: unknown, Settings: SETTINGS })),
    'ResourceNotFoundException',
    'ManagedLoginBranding does not exist.',
  );
  await expectError(
    () =>
      server.admin.send(
        new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: '00000000-0000-0000-0000-000000000000' }),
      ),
    'InvalidParameterException',
  );
  // A style of one pool is not found through another.
  const created = await server.admin.send(
    new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }),
  );
  const other = await newPoolAndClient();
  await expectError(
    () =>
      server.admin.send(
        new DescribeManagedLoginBrandingCommand({
          UserPoolId: other.poolId,
          ManagedLoginBrandingId: created.ManagedLoginBranding!.ManagedLoginBrandingId,
        }),
      ),
    'ResourceNotFoundException',
  );
});

test('update keeps what it leaves out: settings merge, assets replace their category and mode, a reset drops both', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const id = await styleWithLogo(poolId, clientId);
  const update = async (changes: Omit<UpdateManagedLoginBrandingCommandInput, 'UserPoolId' | 'ManagedLoginBrandingId'>) =>
    (await server.admin.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id, ...changes })))
      .ManagedLoginBranding!;

  await clock.travel(3000, async () => {
    const updated = await update({
      Settings: { components: { pageBackground: { lightMode: { color: '112233ff' } } } },
      Assets: [{ Category: 'FORM_LOGO', ColorMode: 'DARK', Extension: 'SVG', Bytes: SVG }],
    });
    assert.deepEqual(updated.Settings, {
      ...SETTINGS,
      components: { ...SETTINGS.components, pageBackground: { lightMode: { color: '112233ff' } } },
    });
    assert.deepEqual(
      updated.Assets!.map((asset) => `${asset.Category}/${asset.ColorMode}/${asset.Extension}`),
      ['FORM_LOGO/DARK/SVG', 'FORM_LOGO/LIGHT/PNG'],
    );
    assert.equal(updated.LastModifiedDate?.getTime(), clock.now());
    assert.ok(updated.CreationDate!.getTime() < clock.now(), 'created when first made');

    // An asset without Bytes names one the style has, which stays; one it lacks is refused.
    const named = await update({ Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG' }] });
    assert.deepEqual(named.Assets, updated.Assets);
    await expectError(
      () => update({ Assets: [{ Category: 'PAGE_BACKGROUND', ColorMode: 'LIGHT', Extension: 'PNG' }] }),
      'InvalidParameterException',
      'Bytes must be specified for the asset of category PAGE_BACKGROUND and color mode LIGHT.',
    );

    // Omitting both changes nothing but the modification date.
    const unchanged = await update({});
    assert.deepEqual(unchanged.Settings, updated.Settings);
    assert.equal(unchanged.Assets!.length, 2);

    await expectError(
      () => update({ UseCognitoProvidedValues: true, Settings: SETTINGS }),
      'InvalidParameterException',
      'useCognitoProvidedValues or settings should be specified (but not both)',
    );

    const reset = await update({ UseCognitoProvidedValues: true });
    assert.equal(reset.UseCognitoProvidedValues, true);
    assert.equal(reset.Settings, undefined);
    assert.deepEqual(reset.Assets, []);
    assert.deepEqual(await byClient(poolId, clientId), reset);
  });
});

test('delete removes the style; deleting its client removes it too', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const id = (
    await server.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS }))
  ).ManagedLoginBranding!.ManagedLoginBrandingId!;
  await server.admin.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }));
  await expectError(
    () => server.admin.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })),
    'ResourceNotFoundException',
  );
  // The client can be styled again.
  const again = await styleWithLogo(poolId, clientId);
  await server.admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  await expectError(
    () => server.admin.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: again })),
    'ResourceNotFoundException',
  );
  assert.equal(
    await server.services.store.managedLoginBrandings.getAsset(poolId, again, 'FORM_LOGO', 'LIGHT'),
    undefined,
    'its assets are gone',
  );

  // Deleting the pool takes its styles and their assets.
  const second = await newPoolAndClient();
  const style = await styleWithLogo(second.poolId, second.clientId);
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: second.poolId }));
  assert.equal(await server.services.store.managedLoginBrandings.get(second.poolId, style), undefined);
  assert.equal(await server.services.store.managedLoginBrandings.getAsset(second.poolId, style, 'FORM_LOGO', 'LIGHT'), undefined);
});

test('racing creates for one client end with one style', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const attempts = await Promise.allSettled(
    Array.from({ length: 4 }, () =>
      server.admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true })),
    ),
  );
  const created = attempts.filter((attempt) => attempt.status === 'fulfilled');
  assert.equal(created.length, 1);
  for (const attempt of attempts) {
    if (attempt.status === 'rejected') assert.equal((attempt.reason as Error).name, 'ManagedLoginBrandingExistsException');
  }
  assert.equal((await byClient(poolId, clientId)).ManagedLoginBrandingId, created[0]!.value.ManagedLoginBranding!.ManagedLoginBrandingId);
});

test('the operations are SigV4: an unsigned caller is refused', async () => {
  const { poolId, clientId } = await newPoolAndClient();
  const error = await captureError(() =>
    server.anonymous.send(
      new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }),
    ),
  );
  assert.notEqual(error.name, 'ManagedLoginBrandingExistsException');
  assert.equal(error.$metadata?.httpStatusCode, 400);
  await expectError(() => byClient(poolId, clientId), 'ResourceNotFoundException');
});
