import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  AdminInitiateAuthCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteIdentityProviderCommand,
  DeleteUserPoolCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
  type CreateIdentityProviderCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';

let server: TestServer;
/** A stand-in issuer that serves an OpenID Connect discovery document. */
let issuer: Server;
let issuerUrl: string;

before(async () => {
  server = await startTestServer();
  issuer = createServer((request, response) => {
    if (request.url === '/tenant/.well-known/openid-configuration') {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          issuer: `${issuerUrl}/tenant`,
          authorization_endpoint: `${issuerUrl}/tenant/auth`,
          token_endpoint: `${issuerUrl}/tenant/token`,
          userinfo_endpoint: `${issuerUrl}/tenant/me`,
          jwks_uri: `${issuerUrl}/tenant/jwks`,
        }),
      );
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
});
after(async () => {
  await server.stop();
  await new Promise((resolve) => issuer.close(resolve));
});

async function newPool(name = 'idps'): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: name }));
  return created.UserPool!.Id!;
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  assert.equal(error.$metadata?.httpStatusCode, 400, 'real Cognito answers 400 for every client error');
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
}

const OIDC_DETAILS = {
  client_id: 'upstream-client',
  client_secret: 'upstream-secret',
  authorize_scopes: 'openid email profile',
  attributes_request_method: 'GET',
  oidc_issuer: 'https://idp.example.com',
  authorize_url: 'https://idp.example.com/authorize',
  token_url: 'https://idp.example.com/token',
  attributes_url: 'https://idp.example.com/userinfo',
  jwks_uri: 'https://idp.example.com/jwks',
};

function oidc(poolId: string, over: Partial<CreateIdentityProviderCommandInput> = {}): CreateIdentityProviderCommand {
  return new CreateIdentityProviderCommand({
    UserPoolId: poolId,
    ProviderName: 'Corp',
    ProviderType: 'OIDC',
    ProviderDetails: OIDC_DETAILS,
    AttributeMapping: { email: 'email' },
    ...over,
  });
}

test('CreateIdentityProvider (OIDC) answers the provider as Cognito describes it; Describe reads it back', async () => {
  const poolId = await newPool();
  const before = Math.floor(Date.now() / 1000);
  const created = await server.admin.send(oidc(poolId, { IdpIdentifiers: ['corp', 'example.com'] }));
  const provider = created.IdentityProvider!;
  assert.deepEqual(
    { ...provider, CreationDate: undefined, LastModifiedDate: undefined },
    {
      UserPoolId: poolId,
      ProviderName: 'Corp',
      ProviderType: 'OIDC',
      ProviderDetails: { ...OIDC_DETAILS, attributes_url_add_attributes: 'false' },
      AttributeMapping: { username: 'sub', email: 'email' },
      IdpIdentifiers: ['corp', 'example.com'],
      CreationDate: undefined,
      LastModifiedDate: undefined,
    },
  );
  assert.ok(provider.CreationDate instanceof Date && provider.CreationDate.getTime() / 1000 >= before - 1);
  assert.deepEqual(provider.LastModifiedDate, provider.CreationDate);

  const described = await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
  assert.deepEqual(described.IdentityProvider, provider);
  const byIdentifier = await server.admin.send(
    new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'example.com' }),
  );
  assert.deepEqual(byIdentifier.IdentityProvider, provider);
});

test('CreateIdentityProvider (OIDC) fills the endpoints it is not given from the issuer discovery document', async () => {
  const poolId = await newPool();
  const created = await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Tenant',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'c',
        authorize_scopes: 'openid',
        attributes_request_method: 'POST',
        oidc_issuer: `${issuerUrl}/tenant`,
        token_url: 'https://override.example.com/token',
      },
    }),
  );
  assert.deepEqual(created.IdentityProvider?.ProviderDetails, {
    client_id: 'c',
    authorize_scopes: 'openid',
    attributes_request_method: 'POST',
    oidc_issuer: `${issuerUrl}/tenant`,
    attributes_url_add_attributes: 'false',
    token_url: 'https://override.example.com/token',
    authorize_url: `${issuerUrl}/tenant/auth`,
    attributes_url: `${issuerUrl}/tenant/me`,
    jwks_uri: `${issuerUrl}/tenant/jwks`,
  });
  await expectError(
    () =>
      server.admin.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'Nowhere',
          ProviderType: 'OIDC',
          ProviderDetails: {
            client_id: 'c',
            authorize_scopes: 'openid',
            attributes_request_method: 'GET',
            oidc_issuer: `${issuerUrl}/none`,
          },
        }),
      ),
    'InvalidParameterException',
    /^Unable to contact well-known endpoint of http:\/\/127\.0\.0\.1:\d+\/none/,
  );
});

test('social providers get their preset endpoints, explicit details win, and the name must be the type', async () => {
  const poolId = await newPool();
  const google = await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Google',
      ProviderType: 'Google',
      ProviderDetails: { client_id: 'g.apps.googleusercontent.com', client_secret: 's', authorize_scopes: 'email profile openid' },
      AttributeMapping: { email: 'email' },
    }),
  );
  assert.deepEqual(google.IdentityProvider?.ProviderDetails, {
    attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
    attributes_url_add_attributes: 'true',
    authorize_scopes: 'email profile openid',
    authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    client_id: 'g.apps.googleusercontent.com',
    client_secret: 's',
    oidc_issuer: 'https://accounts.google.com',
    token_request_method: 'POST',
    token_url: 'https://www.googleapis.com/oauth2/v4/token',
  });
  assert.deepEqual(google.IdentityProvider?.AttributeMapping, { username: 'sub', email: 'email' });

  const facebook = await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Facebook',
      ProviderType: 'Facebook',
      ProviderDetails: {
        client_id: 'f',
        client_secret: 's',
        authorize_scopes: 'public_profile, email',
        api_version: 'v17.0',
        token_url: 'http://127.0.0.1:1/t',
      },
    }),
  );
  assert.deepEqual(facebook.IdentityProvider?.ProviderDetails, {
    api_version: 'v17.0',
    attributes_url: 'https://graph.facebook.com/v17.0/me?fields=',
    attributes_url_add_attributes: 'true',
    authorize_scopes: 'public_profile, email',
    authorize_url: 'https://www.facebook.com/v17.0/dialog/oauth',
    client_id: 'f',
    client_secret: 's',
    token_request_method: 'GET',
    token_url: 'http://127.0.0.1:1/t',
  });
  assert.deepEqual(facebook.IdentityProvider?.AttributeMapping, { username: 'id' });

  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const apple = await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'SignInWithApple',
      ProviderType: 'SignInWithApple',
      ProviderDetails: { client_id: 'com.example', team_id: 'TEAM', key_id: 'KEY', private_key: key, authorize_scopes: 'email name' },
    }),
  );
  // Apple's key is kept for signing client secrets but never shown.
  assert.deepEqual(apple.IdentityProvider?.ProviderDetails, {
    attributes_url_add_attributes: 'false',
    authorize_scopes: 'email name',
    authorize_url: 'https://appleid.apple.com/auth/authorize',
    client_id: 'com.example',
    key_id: 'KEY',
    oidc_issuer: 'https://appleid.apple.com',
    team_id: 'TEAM',
    token_request_method: 'POST',
    token_url: 'https://appleid.apple.com/auth/token',
  });
  const stored = await server.services.store.identityProviders.get(poolId, 'SignInWithApple');
  assert.equal(stored?.details['private_key'], key);

  await expectError(
    () =>
      server.admin.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'MyGoogle',
          ProviderType: 'Google',
          ProviderDetails: { client_id: 'g', client_secret: 's', authorize_scopes: 'openid' },
        }),
      ),
    'InvalidParameterException',
    'Provider MyGoogle cannot be of type Google.',
  );
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'LoginWithAmazon' })),
    'InvalidParameterException',
    'Provider LoginWithAmazon cannot be of type OIDC.',
  );
  await expectError(
    () =>
      server.admin.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: 'LoginWithAmazon',
          ProviderType: 'LoginWithAmazon',
          ProviderDetails: { client_id: 'a', authorize_scopes: 'profile' },
        }),
      ),
    'InvalidParameterException',
    'client_id, client_secret and authorize_scopes are all required idp details',
  );
});

test('CreateIdentityProvider refuses duplicates, reserved names, missing or bad details, unknown attributes and pools', async () => {
  const poolId = await newPool();
  await server.admin.send(oidc(poolId, { IdpIdentifiers: ['corp'] }));
  await expectError(() => server.admin.send(oidc(poolId)), 'DuplicateProviderException', `Corp already exists in user pool ${poolId}.`);
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'Other', IdpIdentifiers: ['other', 'corp'] })),
    'DuplicateProviderException',
    `Identifier corp already exists in user pool ${poolId}.`,
  );
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'Cognito' })),
    'InvalidParameterException',
    'The provider name Cognito is reserved.',
  );
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'COGNITO' })),
    'InvalidParameterException',
    'The provider name COGNITO is reserved.',
  );
  const { oidc_issuer: _issuer, ...noIssuer } = OIDC_DETAILS;
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'NoIssuer', ProviderDetails: noIssuer })),
    'InvalidParameterException',
    'client_id, authorize_scopes, attributes_request_method and oidc_issuer are all required idp details',
  );
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'Put', ProviderDetails: { ...OIDC_DETAILS, attributes_request_method: 'PUT' } })),
    'InvalidParameterException',
    'attributes_request_method must be GET or POST',
  );
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: 'Mapped', AttributeMapping: { 'custom:nope': 'x', email: 'email' } })),
    'InvalidParameterException',
    'AttributeMapping contains invalid mapping: [custom:nope]',
  );
  await expectError(
    () => server.admin.send(oidc('us-east-1_nosuchpool')),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
  await expectError(
    () => server.admin.send(oidc(poolId, { ProviderName: '_bad' })),
    'InvalidParameterException',
    /^1 validation error detected: Value '_bad' at 'providerName' failed to satisfy constraint/,
  );
  const list = await server.admin.send(new ListIdentityProvidersCommand({ UserPoolId: poolId }));
  assert.deepEqual(
    list.Providers?.map((p) => p.ProviderName),
    ['Corp'],
  );
});

test("the pool's schema gains the identities attribute with its first provider", async () => {
  const poolId = await newPool();
  const names = async (): Promise<string[]> =>
    ((await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.SchemaAttributes ?? []).map(
      (a) => a.Name ?? '',
    );
  assert.ok(!(await names()).includes('identities'));
  await server.admin.send(oidc(poolId));
  await server.admin.send(oidc(poolId, { ProviderName: 'Second' }));
  const schema = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.SchemaAttributes ?? [];
  assert.deepEqual(
    schema.filter((a) => a.Name === 'identities'),
    [
      {
        Name: 'identities',
        AttributeDataType: 'String',
        DeveloperOnlyAttribute: false,
        Mutable: true,
        Required: false,
        StringAttributeConstraints: {},
      },
    ],
  );
});

test('UpdateIdentityProvider replaces what it is given and keeps the rest; not-found texts', async () => {
  const poolId = await newPool();
  const created = (await server.admin.send(oidc(poolId, { IdpIdentifiers: ['old'] }))).IdentityProvider!;
  await server.admin.send(oidc(poolId, { ProviderName: 'Other', IdpIdentifiers: ['taken'] }));

  const mapped = await server.admin.send(
    new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', AttributeMapping: { email: 'mail', name: 'name' } }),
  );
  assert.deepEqual(mapped.IdentityProvider?.AttributeMapping, { username: 'sub', email: 'mail', name: 'name' });
  assert.deepEqual(mapped.IdentityProvider?.ProviderDetails, created.ProviderDetails);
  assert.deepEqual(mapped.IdentityProvider?.IdpIdentifiers, ['old']);

  const details = await server.admin.send(
    new UpdateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Corp',
      ProviderDetails: { ...OIDC_DETAILS, client_id: 'rotated' },
      IdpIdentifiers: ['new'],
    }),
  );
  assert.equal(details.IdentityProvider?.ProviderDetails?.['client_id'], 'rotated');
  assert.deepEqual(details.IdentityProvider?.IdpIdentifiers, ['new']);
  assert.deepEqual(details.IdentityProvider?.AttributeMapping, { username: 'sub', email: 'mail', name: 'name' });
  assert.deepEqual(details.IdentityProvider?.CreationDate, created.CreationDate);
  await expectError(
    () => server.admin.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'old' })),
    'ResourceNotFoundException',
    'Identity provider with identifier old does not exist.',
  );
  await expectError(
    () => server.admin.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp', IdpIdentifiers: ['taken'] })),
    'DuplicateProviderException',
    `Identifier taken already exists in user pool ${poolId}.`,
  );
  await expectError(
    () => server.admin.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Missing' })),
    'ResourceNotFoundException',
    'Identity provider Missing does not exist.',
  );
  await expectError(
    () => server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Missing' })),
    'ResourceNotFoundException',
    'Identity provider Missing does not exist.',
  );
});

test('ListIdentityProviders pages in name order with ProviderDescription items', async () => {
  const poolId = await newPool();
  for (const name of ['Delta', 'Alpha', 'Charlie', 'Bravo']) await server.admin.send(oidc(poolId, { ProviderName: name }));
  const first = await server.admin.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 3 }));
  assert.deepEqual(
    first.Providers?.map((p) => Object.keys(p).sort()),
    Array(3).fill(['CreationDate', 'LastModifiedDate', 'ProviderName', 'ProviderType']),
  );
  assert.deepEqual(
    first.Providers?.map((p) => [p.ProviderName, p.ProviderType]),
    [
      ['Alpha', 'OIDC'],
      ['Bravo', 'OIDC'],
      ['Charlie', 'OIDC'],
    ],
  );
  assert.ok(first.NextToken);
  const second = await server.admin.send(
    new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 3, NextToken: first.NextToken }),
  );
  assert.deepEqual(
    second.Providers?.map((p) => p.ProviderName),
    ['Delta'],
  );
  assert.equal(second.NextToken, undefined);
  const empty = await server.admin.send(new ListIdentityProvidersCommand({ UserPoolId: await newPool() }));
  assert.deepEqual(empty.Providers, []);
  await expectError(
    () => server.admin.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, NextToken: 'not!ours' })),
    'InvalidParameterException',
    /^Paging marker not!ours is invalid for request /,
  );
});

test('app clients may name only COGNITO and existing providers; deleting a provider leaves clients as they are', async () => {
  const poolId = await newPool();
  await expectError(
    () =>
      server.admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', SupportedIdentityProviders: ['COGNITO', 'Corp'] }),
      ),
    'InvalidParameterException',
    `The provider Corp does not exist for User Pool ${poolId}.`,
  );
  await server.admin.send(oidc(poolId));
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', SupportedIdentityProviders: ['COGNITO', 'Corp'] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  await server.admin.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
  const described = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.deepEqual(described.UserPoolClient?.SupportedIdentityProviders, ['COGNITO', 'Corp']);
  await expectError(
    () =>
      server.admin.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, SupportedIdentityProviders: ['COGNITO', 'Corp'] }),
      ),
    'InvalidParameterException',
    `The provider Corp does not exist for User Pool ${poolId}.`,
  );
  await server.admin.send(
    new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, SupportedIdentityProviders: ['COGNITO'] }),
  );
  await expectError(
    () => server.admin.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' })),
    'ResourceNotFoundException',
    'Identity provider Corp does not exist.',
  );
});

test('DeleteUserPool takes its providers with it', async () => {
  const poolId = await newPool();
  await server.admin.send(oidc(poolId, { IdpIdentifiers: ['corp'] }));
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(await server.services.store.identityProviders.get(poolId, 'Corp'), undefined);
  assert.equal(await server.services.store.identityProviders.getByIdentifier(poolId, 'corp'), undefined);
});

async function nativeUser(poolId: string, username: string): Promise<void> {
  await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
  await server.admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Passw0rd!long', Permanent: true }),
  );
}

function identitiesOf(attributes: { Name?: string; Value?: string }[] | undefined): unknown {
  const value = attributes?.find((a) => a.Name === 'identities')?.Value;
  return value === undefined ? undefined : (JSON.parse(value) as unknown);
}

test('AdminLinkProviderForUser links an identity to a native user and lists it in identities', async () => {
  const poolId = await newPool();
  await server.admin.send(oidc(poolId));
  await nativeUser(poolId, 'alice');
  await nativeUser(poolId, 'bob');
  const link = (username: string, subject: string, over: Record<string, unknown> = {}): AdminLinkProviderForUserCommand =>
    new AdminLinkProviderForUserCommand({
      UserPoolId: poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: username },
      SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
      ...over,
    });

  await server.admin.send(link('alice', 'upstream-1'));
  const alice = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
  const identities = identitiesOf(alice.UserAttributes) as Array<Record<string, unknown>>;
  assert.equal(identities.length, 1);
  assert.deepEqual(
    { ...identities[0], dateCreated: typeof identities[0]?.['dateCreated'] },
    {
      userId: 'upstream-1',
      providerName: 'Corp',
      providerType: 'OIDC',
      issuer: null,
      primary: false,
      dateCreated: 'number',
    },
  );
  assert.equal(alice.UserStatus, 'CONFIRMED');

  await expectError(
    () => server.admin.send(link('bob', 'upstream-1')),
    'AliasExistsException',
    'The SourceUser is already linked to a user in this user pool.',
  );
  await expectError(
    () =>
      server.admin.send(
        link('alice', 'x', {
          SourceUser: { ProviderName: 'Cognito', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'bob' },
        }),
      ),
    'InvalidParameterException',
    'Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser',
  );
  await expectError(() => server.admin.send(link('nobody', 'upstream-2')), 'UserNotFoundException', 'User does not exist.');
  await expectError(
    () =>
      server.admin.send(
        link('alice', 'x', {
          SourceUser: { ProviderName: 'Missing', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'x' },
        }),
      ),
    'InvalidParameterException',
    `The provider Missing does not exist for User Pool ${poolId}.`,
  );
  await expectError(
    () =>
      server.admin.send(
        link('alice', 'x', {
          SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'email', ProviderAttributeValue: 'x@example.com' },
        }),
      ),
    'InvalidParameterException',
    'ProviderAttributeName must be Cognito_Subject for a OIDC identity provider',
  );
  await expectError(
    () =>
      server.admin.send(
        link('alice', 'x', {
          DestinationUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'alice' },
        }),
      ),
    'InvalidParameterException',
    /^Invalid DestinationUser/,
  );
  await expectError(
    () => server.admin.send(link('alice', 'x', { SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject' } })),
    'InvalidParameterException',
    'SourceUser.ProviderAttributeValue is required',
  );
  for (const n of [2, 3, 4, 5]) await server.admin.send(link('alice', `upstream-${n}`));
  await expectError(
    () => server.admin.send(link('alice', 'upstream-6')),
    'LimitExceededException',
    'A user can be linked to at most 5 identities.',
  );
});

test('AdminLinkProviderForUser refuses an identity that already signed up (merging)', async () => {
  const poolId = await newPool();
  await server.admin.send(oidc(poolId));
  await nativeUser(poolId, 'alice');
  const provider = (await server.services.store.identityProviders.get(poolId, 'Corp'))!;
  const pool = (await server.services.store.pools.get(poolId))!;
  const { signInFederatedUser } = await import('../../src/oauth/federation/federated-user.js');
  await signInFederatedUser(server.services, pool, provider, {
    userId: 'Signed-Up',
    claims: { sub: 'Signed-Up', email: 'su@example.com' },
  });
  await expectError(
    () =>
      server.admin.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId: poolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'alice' },
          SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'Signed-Up' },
        }),
      ),
    'InvalidParameterException',
    'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
  );
});

test('AdminDisableProviderForUser unlinks an identity, or takes away a native password', async () => {
  const poolId = await newPool();
  await server.admin.send(oidc(poolId));
  await nativeUser(poolId, 'alice');
  await server.admin.send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'alice' },
      SourceUser: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'upstream-1' },
    }),
  );
  await server.admin.send(
    new AdminDisableProviderForUserCommand({
      UserPoolId: poolId,
      User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'upstream-1' },
    }),
  );
  const alice = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
  assert.equal(identitiesOf(alice.UserAttributes), undefined);
  assert.equal(await server.services.store.linkedIdentities.find(poolId, 'Corp', 'Cognito_Subject', 'upstream-1'), undefined);
  await expectError(
    () =>
      server.admin.send(
        new AdminDisableProviderForUserCommand({
          UserPoolId: poolId,
          User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'upstream-1' },
        }),
      ),
    'UserNotFoundException',
    'User does not exist.',
  );

  // A native user: no more password sign-in.
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'admin',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const signIn = (): Promise<unknown> =>
    server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: client.UserPoolClient!.ClientId!,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!long' },
      }),
    );
  await signIn();
  await server.admin.send(
    new AdminDisableProviderForUserCommand({
      UserPoolId: poolId,
      User: { ProviderName: 'Cognito', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'alice' },
    }),
  );
  await expectError(signIn, 'NotAuthorizedException', 'Incorrect username or password.');
  await expectError(
    () =>
      server.admin.send(
        new AdminDisableProviderForUserCommand({
          UserPoolId: poolId,
          User: { ProviderName: 'Missing', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'x' },
        }),
      ),
    'InvalidParameterException',
    `The provider Missing does not exist for User Pool ${poolId}.`,
  );
});
