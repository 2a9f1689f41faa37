/**
 * A server configured for another region and account (COGNATE_REGION, COGNATE_ACCOUNT_ID), driven
 * through the AWS SDK as a user of that region would: pool IDs and every ARN carry the pool's region
 * and the configured account, and a client signed for any other region is refused as AWS refuses it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  TagResourceCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, sdkClient, captureError, type TestServer } from '../support/server.js';

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';

let server: TestServer;
let client: CognitoIdentityProviderClient;
before(async () => {
  server = await startTestServer({ region: REGION, accountId: ACCOUNT });
  const credentials = await server.admin.config.credentials();
  client = sdkClient(server.url, credentials.accessKeyId, credentials.secretAccessKey, REGION);
});
after(async () => {
  client.destroy();
  await server.stop();
});

test("a pool created in the server's region has that region in its ID and ARN, and the configured account", async () => {
  const created = await client.send(new CreateUserPoolCommand({ PoolName: 'frankfurt' }));
  const id = created.UserPool!.Id!;
  assert.match(id, /^eu-central-1_[0-9a-zA-Z]{9}$/);
  const arn = `arn:aws:cognito-idp:eu-central-1:${ACCOUNT}:userpool/${id}`;
  assert.equal(created.UserPool!.Arn, arn);
  const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
  assert.equal(described.UserPool!.Arn, arn);

  // The ARN the server prints is the one its tagging operations take.
  await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'identity' } }));
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { team: 'identity' });
  const otherAccount = await captureError(() =>
    client.send(new ListTagsForResourceCommand({ ResourceArn: arn.replace(ACCOUNT, '000000000000') })),
  );
  assert.equal(otherAccount.name, 'ResourceNotFoundException');

  await client.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: `frankfurt-${id.slice(-9).toLowerCase()}` }));
  const domain = await client.send(new DescribeUserPoolDomainCommand({ Domain: `frankfurt-${id.slice(-9).toLowerCase()}` }));
  assert.equal(domain.DomainDescription!.AWSAccountId, ACCOUNT);
  assert.equal(domain.DomainDescription!.UserPoolId, id);
});

test('the SDK signing for the default us-east-1 is refused by a server that serves eu-central-1', async () => {
  const error = await captureError(() => server.admin.send(new ListUserPoolsCommand({ MaxResults: 10 })));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.message, "Credential should be scoped to a valid region, not 'us-east-1'. ");
  assert.equal(error.$metadata?.httpStatusCode, 400);
});
