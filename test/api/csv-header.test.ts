import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddCustomAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  GetCSVHeaderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';

let server: TestServer;
serverForTests((started) => {
  server = started;
});

/** The standard attributes a live pool's header starts with, in its order (`sub` is not imported). */
const STANDARD_COLUMNS = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
];

test('GetCSVHeader lists the standard attributes, then custom ones, then cognito:mfa_enabled and cognito:username', async () => {
  const pool = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'csv-header',
      Schema: [{ Name: 'joinedOn', AttributeDataType: 'String', Mutable: true }],
    }),
  );
  const UserPoolId = pool.UserPool!.Id!;
  const header = await server.admin.send(new GetCSVHeaderCommand({ UserPoolId }));
  assert.equal(header.UserPoolId, UserPoolId);
  assert.deepEqual(header.CSVHeader, [...STANDARD_COLUMNS, 'custom:joinedOn', 'cognito:mfa_enabled', 'cognito:username']);

  // A custom attribute added later takes its place before Cognito's own columns.
  await server.admin.send(
    new AddCustomAttributesCommand({ UserPoolId, CustomAttributes: [{ Name: 'tier', AttributeDataType: 'Number', Mutable: true }] }),
  );
  const again = await server.admin.send(new GetCSVHeaderCommand({ UserPoolId }));
  assert.deepEqual(again.CSVHeader?.slice(-4), ['custom:joinedOn', 'custom:tier', 'cognito:mfa_enabled', 'cognito:username']);
});

test('GetCSVHeader for a pool that does not exist is ResourceNotFoundException', async () => {
  const error = await captureError(() => server.admin.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_doesNotExist' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'User pool us-east-1_doesNotExist does not exist.');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test('GetCSVHeader refuses an access key Cognate does not know, as an IAM-authorized operation does', async () => {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'csv-header-unsigned' }));
  const wrongKey = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'unknown-key', secretAccessKey: 'whatever' },
  });
  const error = await captureError(() => wrongKey.send(new GetCSVHeaderCommand({ UserPoolId: pool.UserPool!.Id! })));
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});
