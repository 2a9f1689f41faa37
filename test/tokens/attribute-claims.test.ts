import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser } from '../api/auth-fixtures.js';

// Cognito's ID token types standard attributes by the schema (`*_verified` booleans, `updated_at`
// a number) and gives every custom attribute as a string, whatever its type.

let server: TestServer;
serverForTests((s) => (server = s));

async function idTokenClaims(attributes: Record<string, string>): Promise<Record<string, unknown>> {
  const poolId = await createPool(server, {
    Schema: [
      { Name: 'flag', AttributeDataType: 'Boolean', Mutable: true },
      { Name: 'level', AttributeDataType: 'Number', Mutable: true },
    ],
  });
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'typed', attributes });
  const response = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'typed', PASSWORD } }),
  );
  return decodePayload(response.AuthenticationResult!.IdToken!);
}

test('standard Boolean and Number attributes are typed in the ID token, String and custom ones are strings', async () => {
  const id = await idTokenClaims({
    email: 'typed@example.com',
    email_verified: 'false',
    phone_number: '+15550100',
    phone_number_verified: 'true',
    updated_at: '1700000000',
    name: '42',
    'custom:flag': 'true',
    'custom:level': '3',
  });
  assert.equal(id['email_verified'], false);
  assert.equal(id['phone_number_verified'], true);
  assert.equal(id['updated_at'], 1700000000);
  assert.equal(id['name'], '42', 'a String attribute that looks like a number stays a string');
  assert.equal(id['custom:flag'], 'true', 'custom attributes are strings, Boolean ones too');
  assert.equal(id['custom:level'], '3');
});

test('an empty Number attribute stays an empty string rather than becoming 0', async () => {
  const id = await idTokenClaims({ updated_at: '' });
  assert.equal(id['updated_at'], '');
});
