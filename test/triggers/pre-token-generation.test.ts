/**
 * Pre token generation V1, V2 and V3 through the wire: a handler written as AWS's developer guide
 * writes them changes the claims and scopes that a client finds in its tokens, for every source
 * Cognito names (API sign-in, forced password change, the three refresh paths, the managed login's
 * code grant, client_credentials).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  AdminCreateUserCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { startTestServer, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
import {
  CALLBACK,
  PASSWORD,
  basic,
  createAppClient,
  createClient,
  createConfirmedUser,
  decodePayload,
  getManual,
  postForm,
  sessionCookie,
  type OAuthPool,
} from '../oauth/helpers.js';

const ROLE = 'arn:aws:iam::123456789012:role/sns_caller';

const handlers = moduleFunctions({
  // V1, as in AWS's developer guide: add and override ID token claims, suppress one, override the groups.
  'claims-v1': `export const handler = async (event) => {
  event.response = {
    claimsOverrideDetails: {
      claimsToAddOrOverride: {
        pet_preference: 'dogs',
        family_name: 'Doe',
        seen: JSON.stringify({ version: event.version, triggerSource: event.triggerSource, request: event.request, response: event.response }),
        iss: 'https://attacker.example.com',
        'cognito:username': 'mallory',
      },
      claimsToSuppress: ['email', 'sub', 'aud', 'token_use'],
      groupOverrideDetails: {
        groupsToOverride: ['green', 'blue'],
        iamRolesToOverride: ['${ROLE}'],
        preferredRole: '${ROLE}',
      },
    },
  };
  return event;
};`,
  // V2/V3: both tokens, complex values, scopes; the event comes back in the access token.
  'claims-v2': `export const handler = async (event) => {
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: {
        claimsToAddOrOverride: { plan: { tier: 'gold', seats: 5 }, tags: ['a', 'b'], score: 7, beta: true },
        claimsToSuppress: ['phone_number'],
      },
      accessTokenGeneration: {
        claimsToAddOrOverride: {
          seen: { version: event.version, triggerSource: event.triggerSource, userName: event.userName, request: event.request, response: event.response },
          tenant: 'acme',
          client_id: 'someone-else',
          scope: 'admin',
          username: 'mallory',
        },
        claimsToSuppress: ['auth_time'],
        scopesToAdd: ['weather/write'],
        scopesToSuppress: ['openid'],
      },
      groupOverrideDetails: { groupsToOverride: [] },
    },
  };
  return event;
};`,
  refuse: `export const handler = async () => { throw new Error('Tokens are not for you'); };`,
  'refuse-refresh': `export const handler = async (event) => {
  if (event.triggerSource === 'TokenGeneration_RefreshTokens') throw new Error('Session closed');
  return event;
};`,
  'number-claim-v1': `export const handler = async (event) => {
  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { seats: 5 } } };
  return event;
};`,
  'unknown-member': `export const handler = async (event) => {
  event.response = { claimsOverrideDetails: {}, autoConfirmUser: true };
  return event;
};`,
});

let functions: FunctionServer;
const servers: TestServer[] = [];
let module: TestServer;
before(async () => {
  functions = await serveFunctions(handlers);
  module = await startTestServer({ functions: functions.targets('module') });
  servers.push(module);
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await functions.close();
});

const V1 = (name: string): LambdaConfigType => ({ PreTokenGeneration: functionArn(name) });
const versioned = (version: 'V1_0' | 'V2_0' | 'V3_0', name: string): LambdaConfigType => ({
  PreTokenGenerationConfig: { LambdaVersion: version, LambdaArn: functionArn(name) },
});

interface Setup {
  pool: OAuthPool;
  clientId: string;
}

/** A pool with the trigger, a `weather/write` scope, a web client, and alice (email, phone) in group `red` with a role. */
async function setUp(server: TestServer, lambdaConfig: LambdaConfigType): Promise<Setup> {
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'tokens', LambdaConfig: lambdaConfig }))).UserPool!.Id!;
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'weather',
      Name: 'Weather',
      Scopes: [{ ScopeName: 'write', ScopeDescription: 'w' }],
    }),
  );
  await createConfirmedUser(server, poolId, 'alice', PASSWORD, {
    email: 'alice@example.com',
    email_verified: 'true',
    family_name: 'Liddell',
    phone_number: '+15555550100',
  });
  await server.admin.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'red', RoleArn: 'arn:aws:iam::123456789012:role/red', Precedence: 1 }),
  );
  await server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'red' }));
  const record = (await server.services.store.pools.get(poolId))!;
  const pool: OAuthPool = {
    poolId,
    site: { pool: record, baseUrl: `${server.url}/${poolId}`, via: 'path', cookiePath: `/${poolId}`, secure: false },
    issuer: `${server.url}/${poolId}`,
  };
  const { id } = await createClient(server, poolId, { AllowedOAuthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'] });
  return { pool, clientId: id };
}

async function signIn(server: TestServer, clientId: string, metadata?: Record<string, string>): Promise<AuthenticationResultType> {
  const out = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'alice', PASSWORD },
      ...(metadata ? { ClientMetadata: metadata } : {}),
    }),
  );
  assert.ok(out.AuthenticationResult, 'the sign-in ends in tokens');
  return out.AuthenticationResult;
}

/** What the V2 handler saw, as it put it in the access token. */
function seenByV2(accessToken: string): Record<string, unknown> & { request: Record<string, unknown> } {
  return decodePayload(accessToken)['seen'] as Record<string, unknown> & { request: Record<string, unknown> };
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: V1 customises the ID token and the groups; protected claims stay; aws-jwt-verify accepts the tokens`, async () => {
    const server = mode === 'module' ? module : await startTestServer({ functions: functions.targets(mode) });
    if (server !== module) servers.push(server);
    const { pool, clientId } = await setUp(server, V1('claims-v1'));
    const tokens = await signIn(server, clientId);

    const jwksUri = `${pool.issuer}/.well-known/jwks.json`;
    const jwksCache = new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });
    const id = await JwtRsaVerifier.create({ issuer: pool.issuer, audience: clientId, jwksUri }, { jwksCache }).verify(tokens.IdToken!);
    const access = decodePayload(tokens.AccessToken!);

    assert.equal(id['pet_preference'], 'dogs');
    assert.equal(id['family_name'], 'Doe');
    assert.equal(id['email'], undefined, 'email is suppressed');
    assert.equal(id['phone_number'], '+15555550100');
    // Protected claims: neither overridden nor suppressed.
    assert.equal(id['iss'], pool.issuer);
    assert.equal(id['cognito:username'], 'alice');
    assert.equal(typeof id['sub'], 'string');
    assert.equal(id['aud'], clientId);
    assert.equal(id['token_use'], 'id');
    // Group overrides reach the ID token, and the groups the access token.
    assert.deepEqual(id['cognito:groups'], ['green', 'blue']);
    assert.deepEqual(id['cognito:roles'], [ROLE]);
    assert.equal(id['cognito:preferred_role'], ROLE);
    assert.deepEqual(access['cognito:groups'], ['green', 'blue']);
    // V1 leaves the rest of the access token alone.
    assert.equal(access['pet_preference'], undefined);
    assert.equal(access['scope'], 'aws.cognito.signin.user.admin');

    const seen = JSON.parse(id['seen'] as string) as Record<string, unknown>;
    assert.deepEqual(seen, {
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      request: {
        userAttributes: {
          sub: id['sub'],
          'cognito:user_status': 'CONFIRMED',
          email: 'alice@example.com',
          email_verified: 'true',
          family_name: 'Liddell',
          phone_number: '+15555550100',
        },
        groupConfiguration: {
          groupsToOverride: ['red'],
          iamRolesToOverride: ['arn:aws:iam::123456789012:role/red'],
          preferredRole: 'arn:aws:iam::123456789012:role/red',
        },
      },
      response: { claimsOverrideDetails: null },
    });
  });
}

test('V2 customises both tokens with complex claims and scopes; the event carries the scopes', async () => {
  const { clientId } = await setUp(module, versioned('V2_0', 'claims-v2'));
  const tokens = await signIn(module, clientId);
  const id = decodePayload(tokens.IdToken!);
  const access = decodePayload(tokens.AccessToken!);

  assert.deepEqual(id['plan'], { tier: 'gold', seats: 5 });
  assert.deepEqual(id['tags'], ['a', 'b']);
  assert.equal(id['score'], 7);
  assert.equal(id['beta'], true);
  assert.equal(id['phone_number'], undefined);
  assert.equal(id['cognito:groups'], undefined, 'an empty group override removes the groups');
  assert.equal(access['cognito:groups'], undefined);
  assert.deepEqual(id['cognito:roles'], ['arn:aws:iam::123456789012:role/red'], 'the roles are not overridden');

  assert.equal(access['tenant'], 'acme');
  assert.equal(access['auth_time'], id['auth_time'], 'auth_time is protected');
  assert.equal(access['client_id'], clientId);
  assert.equal(access['username'], 'alice');
  assert.equal(access['scope'], 'aws.cognito.signin.user.admin weather/write');
  const seen = seenByV2(tokens.AccessToken!);
  assert.equal(seen['version'], '2');
  assert.equal(seen['triggerSource'], 'TokenGeneration_Authentication');
  assert.equal(seen['userName'], 'alice');
  assert.deepEqual(seen.request['scopes'], ['aws.cognito.signin.user.admin']);
  assert.equal(seen.request['clientMetadata'], undefined);
  assert.deepEqual(seen['response'], { claimsAndScopeOverrideDetails: null });
});

test('a user in no group: the event lists no groups, no roles and no preferred role', async () => {
  const { pool, clientId } = await setUp(module, versioned('V2_0', 'claims-v2'));
  await module.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.poolId, Username: 'alice', GroupName: 'red' }));
  const seen = seenByV2((await signIn(module, clientId)).AccessToken!);
  assert.deepEqual(seen.request['groupConfiguration'], { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });
});

test('each source: forced password change, the three refresh paths, the managed login code grant', async () => {
  const { pool, clientId } = await setUp(module, versioned('V2_0', 'claims-v2'));
  const source = (tokens: { AccessToken?: string | undefined }): unknown => seenByV2(tokens.AccessToken!)['triggerSource'];

  // NEW_PASSWORD_REQUIRED.
  await module.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.poolId,
      Username: 'bob',
      TemporaryPassword: 'Temporary-Pass-1',
      MessageAction: 'SUPPRESS',
    }),
  );
  const started = await module.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'bob', PASSWORD: 'Temporary-Pass-1' },
    }),
  );
  assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  const changed = await module.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: started.Session,
      ChallengeResponses: { USERNAME: 'bob', NEW_PASSWORD: 'Brand-New-Pass-2' },
      ClientMetadata: { app: 'web' },
    }),
  );
  assert.equal(source(changed.AuthenticationResult!), 'TokenGeneration_NewPasswordChallenge');
  assert.deepEqual(seenByV2(changed.AuthenticationResult!.AccessToken!).request['clientMetadata'], { app: 'web' });

  // REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken (whose ClientMetadata reaches the handler).
  const tokens = await signIn(module, clientId);
  const refreshed = await module.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
    }),
  );
  assert.equal(source(refreshed.AuthenticationResult!), 'TokenGeneration_RefreshTokens');
  assert.equal(decodePayload(refreshed.AuthenticationResult!.AccessToken!)['tenant'], 'acme');
  const fromApi = await module.anonymous.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken!, ClientMetadata: { reason: 'resume' } }),
  );
  assert.equal(source(fromApi.AuthenticationResult!), 'TokenGeneration_RefreshTokens');
  assert.deepEqual(seenByV2(fromApi.AuthenticationResult!.AccessToken!).request['clientMetadata'], { reason: 'resume' });

  // The managed login: /oauth2/authorize with a session, then the code at /oauth2/token.
  const authorize = await getManual(
    `${pool.issuer}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email' }).toString()}`,
    sessionCookie(module, pool, 'alice'),
  );
  assert.equal(authorize.status, 302, authorize.body);
  const code = new URL(authorize.location).searchParams.get('code');
  assert.ok(code, authorize.location);
  const exchanged = await postForm(`${pool.issuer}/oauth2/token`, {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: CALLBACK,
  });
  assert.equal(exchanged.status, 200, exchanged.text);
  const hosted = seenByV2(exchanged.body['access_token'] as string);
  assert.equal(hosted['triggerSource'], 'TokenGeneration_HostedAuth');
  assert.deepEqual(hosted.request['scopes'], ['openid', 'email']);
  // openid suppressed, weather/write added; the ID token is still issued (openid was granted).
  assert.equal(decodePayload(exchanged.body['access_token'] as string)['scope'], 'email weather/write');
  assert.deepEqual(decodePayload(exchanged.body['id_token'] as string)['plan'], { tier: 'gold', seats: 5 });

  // The OAuth refresh grant: again from the scopes granted at sign-in.
  const grant = await postForm(`${pool.issuer}/oauth2/token`, {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: exchanged.body['refresh_token'] as string,
  });
  assert.equal(grant.status, 200, grant.text);
  assert.equal(seenByV2(grant.body['access_token'] as string)['triggerSource'], 'TokenGeneration_RefreshTokens');
  assert.equal(decodePayload(grant.body['access_token'] as string)['scope'], 'email weather/write');
});

/** amazon-cognito-identity-js's authenticateUser (USER_SRP_AUTH, then device SRP for a remembered device), as a promise. */
function authenticate(pool: CognitoUserPool, username: string): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), { onSuccess: resolve, onFailure: reject });
  });
}

test('a remembered device signs in with TokenGeneration_AuthenticateDevice (amazon-cognito-identity-js)', async () => {
  const created = await module.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'device-tokens',
      LambdaConfig: versioned('V2_0', 'claims-v2'),
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
    }),
  );
  const poolId = created.UserPool!.Id!;
  const { id: clientId } = await createAppClient(module, poolId, {
    ClientName: 'spa',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  await createConfirmedUser(module, poolId, 'carol', PASSWORD, { email: 'carol@example.com' });
  // The library keeps its device in its in-memory storage between the two sign-ins.
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: module.url });

  const first = await authenticate(pool, 'carol');
  assert.equal(seenByV2(first.getAccessToken().getJwtToken())['triggerSource'], 'TokenGeneration_Authentication');
  const second = await authenticate(pool, 'carol');
  const access = second.getAccessToken();
  assert.ok(access.payload['device_key'], 'the sign-in went through the remembered device');
  assert.equal(seenByV2(access.getJwtToken())['triggerSource'], 'TokenGeneration_AuthenticateDevice');
  assert.deepEqual(second.getIdToken().payload['plan'], { tier: 'gold', seats: 5 });
});

/** A pool with the trigger and a confidential client_credentials client for `weather/write`. */
async function m2mSetUp(lambdaConfig: LambdaConfigType): Promise<{ tokenUrl: string; authorization: string; clientId: string }> {
  const { pool } = await setUp(module, lambdaConfig);
  const { id, secret } = await createAppClient(module, pool.poolId, {
    ClientName: 'm2m',
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['weather/write'],
  });
  return { tokenUrl: `${pool.issuer}/oauth2/token`, authorization: basic(id, secret!), clientId: id };
}

test('V3 customises client_credentials tokens, with aws_client_metadata; V1 and V2 do not run for them', async () => {
  const v3 = await m2mSetUp(versioned('V3_0', 'claims-v2'));
  const answer = await postForm(
    v3.tokenUrl,
    { grant_type: 'client_credentials', aws_client_metadata: JSON.stringify({ caller: 'batch' }) },
    v3.authorization,
  );
  assert.equal(answer.status, 200, answer.text);
  const access = decodePayload(answer.body['access_token'] as string);
  assert.equal(access['tenant'], 'acme');
  assert.equal(access['sub'], v3.clientId);
  assert.equal(access['client_id'], v3.clientId);
  assert.equal(access['scope'], 'weather/write');
  const seen = access['seen'] as Record<string, unknown> & { request: Record<string, unknown> };
  assert.equal(seen['version'], '3');
  assert.equal(seen['triggerSource'], 'TokenGeneration_ClientCredentials');
  assert.deepEqual(seen.request, {
    userAttributes: {},
    groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
    scopes: ['weather/write'],
    clientMetadata: { caller: 'batch' },
  });

  const malformed = await postForm(v3.tokenUrl, { grant_type: 'client_credentials', aws_client_metadata: '[1]' }, v3.authorization);
  assert.deepEqual([malformed.status, malformed.body], [400, { error: 'invalid_request' }]);

  // A function that would refuse every token is not run for machines below V3.
  for (const config of [V1('refuse'), versioned('V2_0', 'refuse')]) {
    const m2m = await m2mSetUp(config);
    const issued = await postForm(m2m.tokenUrl, { grant_type: 'client_credentials' }, m2m.authorization);
    assert.equal(issued.status, 200, issued.text);
  }
});

test('a failing or invalid handler gives Cognito exception, at sign-in and at the token endpoint', async () => {
  const refused = await setUp(module, V1('refuse'));
  await assert.rejects(signIn(module, refused.clientId), {
    name: 'UserLambdaValidationException',
    message: 'PreTokenGeneration failed with error Tokens are not for you.',
  });

  const wrongType = await setUp(module, V1('number-claim-v1'));
  await assert.rejects(signIn(module, wrongType.clientId), { name: 'InvalidLambdaResponseException' });
  const unknown = await setUp(module, versioned('V1_0', 'unknown-member'));
  await assert.rejects(signIn(module, unknown.clientId), { name: 'InvalidLambdaResponseException' });

  const m2m = await m2mSetUp(versioned('V3_0', 'refuse'));
  const answer = await postForm(m2m.tokenUrl, { grant_type: 'client_credentials' }, m2m.authorization);
  assert.deepEqual([answer.status, answer.body], [400, { error: 'invalid_request' }]);

  // The OAuth refresh grant refused by the handler.
  const closing = await setUp(module, V1('refuse-refresh'));
  const tokens = await signIn(module, closing.clientId);
  const grant = await postForm(`${closing.pool.issuer}/oauth2/token`, {
    grant_type: 'refresh_token',
    client_id: closing.clientId,
    refresh_token: tokens.RefreshToken!,
  });
  assert.deepEqual([grant.status, grant.body], [400, { error: 'invalid_request' }]);

  // The implicit grant: the refusal goes back to the app in the fragment, as an error.
  const implicit = await getManual(
    `${refused.pool.issuer}/oauth2/authorize?${new URLSearchParams({ response_type: 'token', client_id: refused.clientId, redirect_uri: CALLBACK, scope: 'openid', state: 'st-1' }).toString()}`,
    sessionCookie(module, refused.pool, 'alice'),
  );
  assert.equal(implicit.status, 302, implicit.body);
  const fragment = new URLSearchParams(new URL(implicit.location).hash.slice(1));
  assert.deepEqual(Object.fromEntries(fragment), {
    error_description: 'PreTokenGeneration failed with error Tokens are not for you.',
    error: 'invalid_request',
    state: 'st-1',
  });
});
