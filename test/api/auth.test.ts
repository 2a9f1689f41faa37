import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthFlowType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { PASSWORD, createClient, createPool, decodePayload, getUser, putUser, secretHash, type TestClient } from './auth-fixtures.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock, so tests
// that move it put it back.
const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server);
  client = await createClient(server, poolId);
});
after(() => server.stop());

let counter = 0;
function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}`;
}

function passwordAuth(
  username: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
  clientId = client.clientId,
): InitiateAuthCommand {
  return new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
  });
}

function assertTokens(response: InitiateAuthCommandOutput): void {
  const result = response.AuthenticationResult!;
  assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType']);
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  assert.deepEqual(response.ChallengeParameters, {});
  assert.equal(response.ChallengeName, undefined);
  assert.equal(response.Session, undefined);
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
}

test('USER_PASSWORD_AUTH signs a confirmed user in with tokens and leaves the user unchanged', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  const before = await getUser(server, poolId, username);
  const response = await server.anonymous.send(passwordAuth(username));
  assertTokens(response);
  const id = decodePayload(response.AuthenticationResult!.IdToken!);
  assert.equal(id['cognito:username'], username);
  assert.equal(id['email'], `${username}@example.com`);
  assert.deepEqual(await getUser(server, poolId, username), before);
});

test('ADMIN_USER_PASSWORD_AUTH and its legacy name ADMIN_NO_SRP_AUTH sign in through AdminInitiateAuth', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
    const response = await server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: client.clientId,
        AuthFlow: flow,
        AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
      }),
    );
    assertTokens(response);
  }
});

test('each password flow works only on its own operation', async () => {
  await expectError(
    () =>
      server.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: client.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'x', PASSWORD: 'y' },
        }),
      ),
    'InvalidParameterException',
    'Initiate Auth method not supported.',
  );
  for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
    await expectError(
      () =>
        server.anonymous.send(
          new InitiateAuthCommand({ ClientId: client.clientId, AuthFlow: flow, AuthParameters: { USERNAME: 'x', PASSWORD: 'y' } }),
        ),
      'InvalidParameterException',
      'Initiate Auth method not supported.',
    );
  }
});

test("a flow the client's ExplicitAuthFlows does not enable is refused", async () => {
  const srpOnly = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await expectError(
    () => server.anonymous.send(passwordAuth('x', 'y', {}, srpOnly.clientId)),
    'InvalidParameterException',
    'USER_PASSWORD_AUTH flow not enabled for this client',
  );
  await expectError(
    () =>
      server.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: srpOnly.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'x', PASSWORD: 'y' },
        }),
      ),
    'InvalidParameterException',
    'Auth flow not enabled for this client',
  );
  const defaults = await createClient(server, poolId, { ExplicitAuthFlows: undefined });
  await expectError(
    () => server.anonymous.send(passwordAuth('x', 'y', {}, defaults.clientId)),
    'InvalidParameterException',
    'USER_PASSWORD_AUTH flow not enabled for this client',
  );
});

test('the legacy ExplicitAuthFlows names enable the matching flows', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const legacyUser = await createClient(server, poolId, { ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] });
  const signedIn = await server.anonymous.send(passwordAuth(username, PASSWORD, {}, legacyUser.clientId));
  assertTokens(signedIn);
  // A client with only legacy names may still refresh.
  const refreshed = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: legacyUser.clientId,
      AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! },
    }),
  );
  assert.ok(refreshed.AuthenticationResult?.AccessToken);
  const legacyAdmin = await createClient(server, poolId, { ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH'] });
  assertTokens(
    await server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: legacyAdmin.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
      }),
    ),
  );
});

test('a flow the engine does not run yet answers a Cognito error, never a 500', async () => {
  const everything = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const expected: Array<[AuthFlowType, string, string]> = [
    ['USER_SRP_AUTH', 'InvalidParameterException', 'Missing required parameter SRP_A'],
    ['CUSTOM_AUTH', 'InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.'],
    ['USER_AUTH', 'UserNotFoundException', 'User does not exist.'],
  ];
  for (const [flow, name, message] of expected) {
    const error = await captureError(() =>
      server.anonymous.send(
        new InitiateAuthCommand({ AuthFlow: flow, ClientId: everything.clientId, AuthParameters: { USERNAME: 'nobody-here' } }),
      ),
    );
    assert.equal(error.name, name, `${flow}: ${error.message}`);
    assert.equal(error.message, message, flow);
    assert.equal(error.$metadata?.httpStatusCode, 400, flow);
  }
  const notEnabled = await captureError(() =>
    server.anonymous.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: client.clientId, AuthParameters: { USERNAME: 'x' } })),
  );
  assert.equal(notEnabled.name, 'InvalidParameterException');
  assert.equal(notEnabled.message, 'USER_AUTH flow not enabled for this client');
});

test('an unknown client is ResourceNotFoundException', async () => {
  await expectError(
    () => server.anonymous.send(passwordAuth('x', 'y', {}, 'nosuchclient0000000000000')),
    'ResourceNotFoundException',
    'User pool client nosuchclient0000000000000 does not exist.',
  );
  const otherPool = await createPool(server);
  await expectError(
    () =>
      server.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: otherPool,
          ClientId: client.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'x', PASSWORD: 'y' },
        }),
      ),
    'ResourceNotFoundException',
    `User pool client ${client.clientId} does not exist.`,
  );
});

test('missing USERNAME or PASSWORD is "Missing required parameter"', async () => {
  await expectError(
    () =>
      server.anonymous.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.clientId, AuthParameters: { PASSWORD: 'x' } }),
      ),
    'InvalidParameterException',
    'Missing required parameter USERNAME',
  );
  await expectError(
    () => server.anonymous.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.clientId })),
    'InvalidParameterException',
    'Missing required parameter USERNAME',
  );
  await expectError(
    () =>
      server.anonymous.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.clientId, AuthParameters: { USERNAME: 'x' } }),
      ),
    'InvalidParameterException',
    'Missing required parameter PASSWORD',
  );
});

test('SECRET_HASH is required and checked when the client has a secret', async () => {
  const secretPool = await createPool(server, { UsernameAttributes: ['email'] });
  const secretClient = await createClient(server, secretPool, { GenerateSecret: true });
  const secret = secretClient.clientSecret!;
  const internal = 'b3f0c2a4-0000-4000-8000-000000000001';
  await putUser(server, secretPool, { username: internal, attributes: { email: 'secret@example.com', email_verified: 'true' } });

  await expectError(
    () => server.anonymous.send(passwordAuth('secret@example.com', PASSWORD, {}, secretClient.clientId)),
    'NotAuthorizedException',
    `Client ${secretClient.clientId} is configured for secret but secret was not received`,
  );
  await expectError(
    () =>
      server.anonymous.send(
        passwordAuth(
          'secret@example.com',
          PASSWORD,
          { SECRET_HASH: secretHash(secret, 'someone-else', secretClient.clientId) },
          secretClient.clientId,
        ),
      ),
    'NotAuthorizedException',
    `Unable to verify secret hash for client ${secretClient.clientId}`,
  );
  // The hash of the name typed, or of the internal username, is accepted.
  for (const name of ['secret@example.com', internal]) {
    const response = await server.anonymous.send(
      passwordAuth('secret@example.com', PASSWORD, { SECRET_HASH: secretHash(secret, name, secretClient.clientId) }, secretClient.clientId),
    );
    assertTokens(response);
    assert.equal(decodePayload(response.AuthenticationResult!.IdToken!)['cognito:username'], internal);
  }
});

test('a user signs in with an alias or the sub', async () => {
  const aliasPool = await createPool(server, { AliasAttributes: ['email', 'preferred_username'] });
  const aliasClient = await createClient(server, aliasPool);
  const user = await putUser(server, aliasPool, {
    username: 'aliased',
    attributes: { email: 'alias@example.com', email_verified: 'true', preferred_username: 'nick' },
  });
  for (const name of ['aliased', 'alias@example.com', 'nick', user.sub]) {
    const response = await server.anonymous.send(passwordAuth(name, PASSWORD, {}, aliasClient.clientId));
    assert.equal(decodePayload(response.AuthenticationResult!.AccessToken!)['username'], 'aliased', name);
  }
});

test('an unknown user is UserNotFoundException with LEGACY and a wrong-password answer with ENABLED', async () => {
  await expectError(() => server.anonymous.send(passwordAuth('no-such-user')), 'UserNotFoundException', 'User does not exist.');
  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  await expectError(
    () => server.anonymous.send(passwordAuth('no-such-user', PASSWORD, {}, hiding.clientId)),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
});

test('a wrong password is NotAuthorizedException', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  await expectError(
    () => server.anonymous.send(passwordAuth(username, 'Wrong-Password-1')),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
});

test("the user's state is checked once the password is right", async () => {
  const disabled = uniqueName();
  await putUser(server, poolId, { username: disabled, enabled: false });
  await expectError(() => server.anonymous.send(passwordAuth(disabled)), 'NotAuthorizedException', 'User is disabled.');

  const unconfirmed = uniqueName();
  await putUser(server, poolId, { username: unconfirmed, status: 'UNCONFIRMED' });
  await expectError(
    () => server.anonymous.send(passwordAuth(unconfirmed, 'Wrong-Password-1')),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
  await expectError(() => server.anonymous.send(passwordAuth(unconfirmed)), 'UserNotConfirmedException', 'User is not confirmed.');

  const reset = uniqueName();
  await putUser(server, poolId, { username: reset, status: 'RESET_REQUIRED' });
  // A user due a reset who still has a password is told so only for the right password, as above.
  await expectError(
    () => server.anonymous.send(passwordAuth(reset, 'Wrong-Password-1')),
    'NotAuthorizedException',
    'Incorrect username or password.',
  );
  await expectError(
    () => server.anonymous.send(passwordAuth(reset)),
    'PasswordResetRequiredException',
    'Password reset required for the user',
  );
});

test('five wrong passwords lock the user out, doubling from one second, and a success after the lockout clears it', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  for (let i = 0; i < 5; i++) {
    await expectError(
      () => server.anonymous.send(passwordAuth(username, 'Wrong-Password-1')),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
  }
  // Locked for 2^0 seconds: even the right password is refused, and the refusal does not count.
  await expectError(() => server.anonymous.send(passwordAuth(username)), 'NotAuthorizedException', 'Password attempts exceeded');
  await clock.travel(1000, async () => {
    await expectError(
      () => server.anonymous.send(passwordAuth(username, 'Wrong-Password-1')),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    // The sixth failure locks for two seconds.
    clock.advance(1000);
    await expectError(() => server.anonymous.send(passwordAuth(username)), 'NotAuthorizedException', 'Password attempts exceeded');
    clock.advance(1000);
    assertTokens(await server.anonymous.send(passwordAuth(username)));
    // The success started over: one failure is just a wrong password.
    await expectError(
      () => server.anonymous.send(passwordAuth(username, 'Wrong-Password-1')),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    assertTokens(await server.anonymous.send(passwordAuth(username)));
  });
});

test('the lockout is per user', async () => {
  const locked = uniqueName();
  const other = uniqueName();
  await putUser(server, poolId, { username: locked });
  await putUser(server, poolId, { username: other });
  for (let i = 0; i < 5; i++) await captureError(() => server.anonymous.send(passwordAuth(locked, 'Wrong-Password-1')));
  await expectError(() => server.anonymous.send(passwordAuth(locked)), 'NotAuthorizedException', 'Password attempts exceeded');
  assertTokens(await server.anonymous.send(passwordAuth(other)));
});

test('a temporary password leads to NEW_PASSWORD_REQUIRED, and the answer confirms the user and signs in', async () => {
  const username = uniqueName();
  await putUser(server, poolId, {
    username,
    status: 'FORCE_CHANGE_PASSWORD',
    attributes: { email: `${username}@example.com`, email_verified: 'true' },
  });
  const challenge = await server.anonymous.send(passwordAuth(username));
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.equal(challenge.AuthenticationResult, undefined);
  assert.ok(challenge.Session!.length >= 20 && challenge.Session!.length <= 2048);
  assert.deepEqual(challenge.ChallengeParameters, {
    USER_ID_FOR_SRP: username,
    requiredAttributes: '[]',
    userAttributes: JSON.stringify({ email: `${username}@example.com`, email_verified: 'true' }),
  });

  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1' },
    }),
  );
  assertTokens(answered);
  assert.equal((await getUser(server, poolId, username)).status, 'CONFIRMED');
  await expectError(() => server.anonymous.send(passwordAuth(username)), 'NotAuthorizedException', 'Incorrect username or password.');
  assertTokens(await server.anonymous.send(passwordAuth(username, 'Brand-New-Pass-1')));
});

test('NEW_PASSWORD_REQUIRED lists missing required attributes, which the answer must fill', async () => {
  const requiredPool = await createPool(server, { Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: true }] });
  const requiredClient = await createClient(server, requiredPool);
  await putUser(server, requiredPool, { username: 'newbie', status: 'FORCE_CHANGE_PASSWORD', attributes: { locale: 'en' } });
  const challenge = await server.anonymous.send(passwordAuth('newbie', PASSWORD, {}, requiredClient.clientId));
  assert.equal(challenge.ChallengeParameters!['requiredAttributes'], '["userAttributes.name"]');
  assert.deepEqual(JSON.parse(challenge.ChallengeParameters!['userAttributes']!), { locale: 'en', name: '' });

  const answer = (responses: Record<string, string>) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: requiredClient.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'Brand-New-Pass-1', ...responses },
      }),
    );
  await expectError(() => answer({}), 'InvalidParameterException', 'Invalid attributes given, name is missing');
  assertTokens(await answer({ 'userAttributes.name': 'New Bie' }));
  const user = await getUser(server, requiredPool, 'newbie');
  assert.equal(user.attributes['name'], 'New Bie');
  assert.equal(user.attributes['locale'], 'en');
});

test("NEW_PASSWORD_REQUIRED refuses attributes outside the client's WriteAttributes, and writes the allowed ones", async () => {
  const limited = await createClient(server, poolId, { WriteAttributes: ['name'] });
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD', attributes: { locale: 'en' } });
  const challenge = await server.anonymous.send(passwordAuth(username, PASSWORD, {}, limited.clientId));
  const answer = (responses: Record<string, string>) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: limited.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1', ...responses },
      }),
    );
  await expectError(
    () => answer({ 'userAttributes.name': 'Ann', 'userAttributes.locale': 'fr' }),
    'NotAuthorizedException',
    'A client attempted to write unauthorized attribute',
  );
  assert.equal((await getUser(server, poolId, username)).status, 'FORCE_CHANGE_PASSWORD');
  assertTokens(await answer({ 'userAttributes.name': 'Ann' }));
  const user = await getUser(server, poolId, username);
  assert.equal(user.attributes['name'], 'Ann');
  assert.equal(user.attributes['locale'], 'en');
});

test('a NEW_PASSWORD_REQUIRED session is refused once its user is disabled, given a password, or deleted and created again', async () => {
  const answerFor = (username: string, session: string | undefined) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: client.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1' },
      }),
    );
  const invited = async () => {
    const username = uniqueName();
    await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
    const challenge = await server.anonymous.send(passwordAuth(username));
    assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    return { username, session: challenge.Session };
  };

  const disabled = await invited();
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabled.username }));
  await expectError(() => answerFor(disabled.username, disabled.session), 'NotAuthorizedException', 'User is disabled.');

  // An administrator set a password meanwhile: the user no longer has to choose one.
  const reset = await invited();
  await server.admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: reset.username, Password: 'Admin-Chosen-1', Permanent: true }),
  );
  await expectError(() => answerFor(reset.username, reset.session), 'NotAuthorizedException', 'Invalid session for the user.');
  assertTokens(await server.anonymous.send(passwordAuth(reset.username, 'Admin-Chosen-1')));

  // The same name now belongs to a new user: the old session must not choose the newcomer's password.
  const recreated = await invited();
  await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: recreated.username }));
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: recreated.username,
      TemporaryPassword: PASSWORD,
      MessageAction: 'SUPPRESS',
    }),
  );
  await expectError(() => answerFor(recreated.username, recreated.session), 'NotAuthorizedException', 'Invalid session for the user.');
  assert.equal((await getUser(server, poolId, recreated.username)).status, 'FORCE_CHANGE_PASSWORD');
});

test('NEW_PASSWORD_REQUIRED takes only userAttributes.<name> answers as attributes, and ignores other keys', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD', attributes: { locale: 'en' } });
  const challenge = await server.anonymous.send(passwordAuth(username));
  const answered = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: {
        USERNAME: username,
        NEW_PASSWORD: 'Brand-New-Pass-1',
        'userAttributes.name': 'Noor',
        // Neither an attribute: a key that only looks long enough, and the bare prefix.
        'clientAttributes.name': 'ignored',
        'userAttributes.': 'ignored',
      },
    }),
  );
  assertTokens(answered);
  const user = await getUser(server, poolId, username);
  assert.deepEqual(Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== 'sub')), { locale: 'en', name: 'Noor' });
});

test('a new password the policy refuses can be corrected with the same session, which is then spent', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const challenge = await server.anonymous.send(passwordAuth(username));
  const answer = (password: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: client.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password },
      }),
    );
  await expectError(() => answer('short'), 'InvalidPasswordException', 'Password does not conform to policy: Password not long enough');
  assertTokens(await answer('Brand-New-Pass-1'));
  await expectError(() => answer('Another-New-Pass-2'), 'NotAuthorizedException', 'Invalid session for the user.');
});

test('AdminRespondToAuthChallenge answers a challenge from AdminInitiateAuth', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const challenge = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
    }),
  );
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  const answered = await server.admin.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1' },
    }),
  );
  assertTokens(answered);
});

test('a session that is tampered with, of another client, expired, or answered for another user is refused', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const challenge = await server.anonymous.send(passwordAuth(username));
  const session = challenge.Session!;
  const answer = (overrides: {
    Session?: string;
    ClientId?: string;
    USERNAME?: string;
    ChallengeName?: 'NEW_PASSWORD_REQUIRED' | 'SMS_MFA';
  }) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: overrides.ClientId ?? client.clientId,
        ChallengeName: overrides.ChallengeName ?? 'NEW_PASSWORD_REQUIRED',
        Session: overrides.Session ?? session,
        ChallengeResponses: { USERNAME: overrides.USERNAME ?? username, NEW_PASSWORD: 'Brand-New-Pass-1' },
      }),
    );
  const tampered = session.slice(0, -4) + (session.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  await expectError(() => answer({ Session: tampered }), 'NotAuthorizedException', 'Invalid session for the user.');
  await expectError(() => answer({ Session: 'x'.repeat(40) }), 'NotAuthorizedException', 'Invalid session for the user.');
  const other = await createClient(server, poolId);
  await expectError(() => answer({ ClientId: other.clientId }), 'NotAuthorizedException', 'Invalid session for the user.');
  const someoneElse = uniqueName();
  await putUser(server, poolId, { username: someoneElse, status: 'FORCE_CHANGE_PASSWORD' });
  await expectError(() => answer({ USERNAME: someoneElse }), 'NotAuthorizedException', 'Invalid session for the user.');
  const wrongName = await captureError(() => answer({ ChallengeName: 'SMS_MFA' }));
  assert.equal(wrongName.name, 'InvalidParameterException');
  // The default AuthSessionValidity is 3 minutes.
  await clock.travel(3 * 60_000, () =>
    expectError(() => answer({}), 'NotAuthorizedException', 'Invalid session for the user, session is expired.'),
  );
  // Still good within its lifetime.
  await clock.travel(2 * 60_000, async () => assertTokens(await answer({})));
});

test("the session lasts the client's AuthSessionValidity", async () => {
  const longer = await createClient(server, poolId, { AuthSessionValidity: 10 });
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const challenge = await server.anonymous.send(passwordAuth(username, PASSWORD, {}, longer.clientId));
  await clock.travel(9 * 60_000, async () =>
    assertTokens(
      await server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: longer.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1' },
        }),
      ),
    ),
  );
});

test('answers without a session or with missing responses are refused', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const challenge = await server.anonymous.send(passwordAuth(username));
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: client.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1' },
        }),
      ),
    'NotAuthorizedException',
    'Invalid session for the user.',
  );
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: client.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { NEW_PASSWORD: 'Brand-New-Pass-1' },
        }),
      ),
    'InvalidParameterException',
    'Missing required parameter USERNAME',
  );
  await expectError(
    () =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: client.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username },
        }),
      ),
    'InvalidParameterException',
    'Missing required parameter NEW_PASSWORD',
  );
  const notAChallenge = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: client.clientId,
        ChallengeName: 'ADMIN_NO_SRP_AUTH',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username },
      }),
    ),
  );
  assert.equal(notAChallenge.name, 'InvalidParameterException');
});

test('SECRET_HASH is checked on challenge answers too', async () => {
  const secretClient = await createClient(server, poolId, { GenerateSecret: true });
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const hash = secretHash(secretClient.clientSecret!, username, secretClient.clientId);
  const challenge = await server.anonymous.send(passwordAuth(username, PASSWORD, { SECRET_HASH: hash }, secretClient.clientId));
  const answer = (responses: Record<string, string>) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: secretClient.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-1', ...responses },
      }),
    );
  await expectError(
    () => answer({}),
    'NotAuthorizedException',
    `Client ${secretClient.clientId} is configured for secret but secret was not received`,
  );
  await expectError(
    () => answer({ SECRET_HASH: secretHash(secretClient.clientSecret!, 'other', secretClient.clientId) }),
    'NotAuthorizedException',
    `Unable to verify secret hash for client ${secretClient.clientId}`,
  );
  assertTokens(await answer({ SECRET_HASH: hash }));
});

test('an expired temporary password must be reset by an administrator', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  // The default validity is 7 days.
  await clock.travel(6 * 86_400_000, async () =>
    assert.equal((await server.anonymous.send(passwordAuth(username))).ChallengeName, 'NEW_PASSWORD_REQUIRED'),
  );
  await clock.travel(7 * 86_400_000 + 1000, () =>
    expectError(
      () => server.anonymous.send(passwordAuth(username)),
      'NotAuthorizedException',
      'Temporary password has expired and must be reset by an administrator.',
    ),
  );
});

test('TemporaryPasswordValidityDays sets how long a temporary password lasts', async () => {
  const shortPool = await createPool(server, { Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } } });
  const shortClient = await createClient(server, shortPool);
  await putUser(server, shortPool, { username: 'temp', status: 'FORCE_CHANGE_PASSWORD' });
  await clock.travel(86_400_000 + 1000, () =>
    expectError(
      () => server.anonymous.send(passwordAuth('temp', PASSWORD, {}, shortClient.clientId)),
      'NotAuthorizedException',
      'Temporary password has expired and must be reset by an administrator.',
    ),
  );
});
