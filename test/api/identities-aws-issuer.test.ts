import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CognitoIdentityClient, CreateIdentityPoolCommand, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, putUser } from './auth-fixtures.js';

let server: TestServer;
let identity: CognitoIdentityClient;
const clock = serverForTests(
  (started) => {
    server = started;
    identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  },
  { issuerStyle: 'aws' },
);
after(() => identity.destroy());

test("with AWS-style issuers, GetId takes the user pool's AWS-issued ID token and GetOpenIdToken's iss is Cognito Identity's", async () => {
  const userPoolId = await createPool(server);
  const { clientId } = await createClient(server, userPoolId);
  await putUser(server, userPoolId, { username: 'alice' });
  const provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'aws style',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
    }),
  );
  const { AuthenticationResult } = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: userPoolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'alice', PASSWORD },
    }),
  );
  const Logins = { [provider]: AuthenticationResult!.IdToken! };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId, Logins }));
  const { Token } = await identity.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));

  const discovery = (await (await fetch(`${server.url}/cognito-identity/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  assert.equal(discovery.issuer, 'https://cognito-identity.amazonaws.com');
  const keys = (await (await fetch(discovery.jwks_uri)).json()) as Parameters<typeof createLocalJWKSet>[0];
  const { payload } = await jwtVerify(Token!, createLocalJWKSet(keys), {
    issuer: 'https://cognito-identity.amazonaws.com',
    audience: IdentityPoolId!,
    currentDate: new Date(clock.now()),
  });
  assert.equal(payload.sub, IdentityId);
});
