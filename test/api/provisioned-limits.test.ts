import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetProvisionedLimitCommand, UpdateProvisionedLimitCommand } from '@aws-sdk/client-cognito-identity-provider';
import { expectCognitoError as expectError, serverForTests, type TestServer } from '../support/server.js';

let server: TestServer;
serverForTests((started) => {
  server = started;
});

const category = (Category: string) => ({ LimitClass: 'API_CATEGORY' as const, Attributes: { Category } });

test('GetProvisionedLimit answers the free rate as the provisioned one until a rate is provisioned', async () => {
  const got = await server.admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserCreation') }));
  assert.deepEqual(got.Limit, { LimitDefinition: category('UserCreation'), ProvisionedLimitValue: 50, FreeLimitValue: 50 });
  const token = await server.admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserToken') }));
  assert.deepEqual(token.Limit, { LimitDefinition: category('UserToken'), ProvisionedLimitValue: 120, FreeLimitValue: 120 });
});

test('UpdateProvisionedLimit stores the rate of an adjustable category, and GetProvisionedLimit reads it back', async () => {
  const updated = await server.admin.send(
    new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserAuthentication'), RequestedLimitValue: 300 }),
  );
  assert.deepEqual(updated.Limit, { LimitDefinition: category('UserAuthentication'), ProvisionedLimitValue: 300, FreeLimitValue: 120 });
  const got = await server.admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserAuthentication') }));
  assert.deepEqual(got.Limit, updated.Limit);
  // Back down to the default is allowed: the lower bound is the default itself.
  const reset = await server.admin.send(
    new UpdateProvisionedLimitCommand({ LimitDefinition: category('UserAuthentication'), RequestedLimitValue: 120 }),
  );
  assert.equal(reset.Limit!.ProvisionedLimitValue, 120);
  // Other categories are untouched.
  const read = await server.admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserRead') }));
  assert.equal(read.Limit!.ProvisionedLimitValue, 120);
});

test('UpdateProvisionedLimit refuses a fixed category, a rate below the default and one above the account maximum', async () => {
  const update = (name: string, RequestedLimitValue: number) =>
    server.admin.send(new UpdateProvisionedLimitCommand({ LimitDefinition: category(name), RequestedLimitValue }));
  await expectError(() => update('UserList', 60), 'InvalidParameterException', 'The UserList category is not adjustable.');
  await expectError(
    () => update('UserCreation', 49),
    'InvalidParameterException',
    'The provisioned limit of UserCreation must be at least its default limit, 50.',
  );
  await expectError(
    () => update('UserCreation', 501),
    'ServiceQuotaExceededException',
    "The provisioned limit of UserCreation cannot exceed the account's maximum, 500.",
  );
  const unchanged = await server.admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category('UserCreation') }));
  assert.equal(unchanged.Limit!.ProvisionedLimitValue, 50);
});

test('a limit definition names exactly one known Category', async () => {
  const get = (Attributes: Record<string, string>) =>
    server.admin.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes } }));
  await expectError(
    () => get({ Category: 'UserTeleportation' }),
    'ResourceNotFoundException',
    'There is no API category UserTeleportation.',
  );
  const exactlyOne = 'API_CATEGORY limits are identified by exactly one attribute, Category.';
  await expectError(() => get({}), 'InvalidParameterException', exactlyOne);
  await expectError(() => get({ Category: 'UserRead', Region: 'us-east-1' }), 'InvalidParameterException', exactlyOne);
  await expectError(() => get({ Category: 'toString' }), 'ResourceNotFoundException', 'There is no API category toString.');
  await expectError(
    () =>
      server.admin.send(
        new GetProvisionedLimitCommand({
          LimitDefinition: { LimitClass: 'ACCOUNT' as 'API_CATEGORY', Attributes: { Category: 'UserRead' } },
        }),
      ),
    'InvalidParameterException',
    /at 'limitDefinition.limitClass' failed to satisfy constraint: Member must satisfy enum value set: \[API_CATEGORY\]/,
  );
});
