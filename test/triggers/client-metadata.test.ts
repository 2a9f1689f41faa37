import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ForgotPasswordCommand,
  UpdateUserAttributesCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { functionArn, moduleFunctions } from '../support/functions.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { eventRecorder } from './recording.js';

/*
 * Which handlers a sign-in's ClientMetadata reaches. The AWS model's ClientMetadata documentation
 * for InitiateAuth and AdminInitiateAuth: "The ClientMetadata value is passed as input to the
 * functions for only the following triggers: Pre signup, Pre authentication, User migration. This
 * request also invokes the functions for the following triggers, but doesn't pass ClientMetadata:
 * Post authentication, Custom message, Pre token generation, Create auth challenge, Define auth
 * challenge, Custom email sender, Custom SMS sender". Every other operation passes its
 * ClientMetadata to every function it invokes. Each handler records the event it received.
 */
const recorder = eventRecorder();
const recording = (name: string, extra = ''): string =>
  `${recorder.source(name)}export const handler = async (event) => { record(event); ${extra} return event; };`;
const handlers = moduleFunctions({
  'pre-auth': recording('pre-auth'),
  'post-auth': recording('post-auth'),
  'pre-token': recording('pre-token'),
  'custom-message': recording('custom-message'),
  migrate: recording(
    'migrate',
    `event.response.userAttributes = { email: event.userName + '@example.com' }; event.response.messageAction = 'SUPPRESS';`,
  ),
});

let server: TestServer;
before(async () => {
  server = await startTestServer({ functions: handlers });
});
after(async () => {
  await server.stop();
});

const AUTH_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] as const;

/** A pool whose pre/post authentication, pre token generation and migration triggers all record. */
async function recordingPool(): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, {
    LambdaConfig: {
      PreAuthentication: functionArn('pre-auth'),
      PostAuthentication: functionArn('post-auth'),
      PreTokenGeneration: functionArn('pre-token'),
      UserMigration: functionArn('migrate'),
    },
  });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: [...AUTH_FLOWS] });
  return { poolId, clientId };
}

/** The `request` of the newest event `name` received for `userName`. */
function requestOf(name: string, userName: string): Record<string, unknown> {
  const event = recorder
    .received(name)
    .filter((e) => e['userName'] === userName)
    .at(-1);
  assert.ok(event, `${name} received an event for ${userName}`);
  return event['request'] as Record<string, unknown>;
}

function passwordAuth(clientId: string, username: string, metadata: Record<string, string>): InitiateAuthCommand {
  return new InitiateAuthCommand({
    ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD },
    ClientMetadata: metadata,
  });
}

test("InitiateAuth's ClientMetadata reaches pre authentication and user migration as validationData, and not post authentication or pre token generation", async () => {
  const { poolId, clientId } = await recordingPool();
  await putUser(server, poolId, { username: 'ida' });
  const signedIn = await server.anonymous.send(passwordAuth(clientId, 'ida', { from: 'initiate' }));
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
  assert.deepEqual(requestOf('pre-auth', 'ida')['validationData'], { from: 'initiate' });
  assert.equal(requestOf('pre-auth', 'ida')['clientMetadata'], undefined);
  assert.equal(requestOf('post-auth', 'ida')['clientMetadata'], undefined);
  assert.equal(requestOf('pre-token', 'ida')['clientMetadata'], undefined);

  // An unknown name: the migration handler gets it as validationData too.
  const migrated = await server.anonymous.send(passwordAuth(clientId, 'mig', { from: 'initiate-migrate' }));
  assert.ok(migrated.AuthenticationResult?.AccessToken);
  assert.deepEqual(requestOf('migrate', 'mig'), { password: PASSWORD, validationData: { from: 'initiate-migrate' } });
  assert.equal(requestOf('post-auth', 'mig')['clientMetadata'], undefined);
  assert.equal(requestOf('pre-token', 'mig')['clientMetadata'], undefined);
});

test("AdminInitiateAuth's ClientMetadata reaches only pre authentication and user migration", async () => {
  const { poolId, clientId } = await recordingPool();
  await putUser(server, poolId, { username: 'ada' });
  for (const username of ['ada', 'admig']) {
    const out = await server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
        ClientMetadata: { from: 'admin-initiate' },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken, username);
    assert.equal(requestOf('post-auth', username)['clientMetadata'], undefined, username);
    assert.equal(requestOf('pre-token', username)['clientMetadata'], undefined, username);
  }
  assert.deepEqual(requestOf('pre-auth', 'ada')['validationData'], { from: 'admin-initiate' });
  assert.deepEqual(requestOf('migrate', 'admig')['validationData'], { from: 'admin-initiate' });
});

test("RespondToAuthChallenge's and AdminRespondToAuthChallenge's ClientMetadata reach post authentication and pre token generation", async () => {
  const { poolId, clientId } = await recordingPool();
  for (const [username, admin] of [
    ['nina', false],
    ['nora', true],
  ] as const) {
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: 'Temporary-Pass-1',
        MessageAction: 'SUPPRESS',
      }),
    );
    const started = await server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: 'Temporary-Pass-1' },
        ClientMetadata: { from: 'initiate' },
      }),
    );
    assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const answer = {
      ChallengeName: 'NEW_PASSWORD_REQUIRED' as const,
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-New-Pass-2' },
      ClientMetadata: { from: 'respond' },
    };
    const done = admin
      ? await server.admin.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ...answer }))
      : await server.anonymous.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ...answer }));
    assert.ok(done.AuthenticationResult?.AccessToken, username);
    assert.deepEqual(requestOf('pre-auth', username)['validationData'], { from: 'initiate' }, username);
    assert.deepEqual(requestOf('post-auth', username)['clientMetadata'], { from: 'respond' }, username);
    assert.deepEqual(requestOf('pre-token', username)['clientMetadata'], { from: 'respond' }, username);
  }
});

test("USER_AUTH's PASSWORD answer passes RespondToAuthChallenge's ClientMetadata to pre authentication as clientMetadata", async () => {
  const { poolId, clientId } = await recordingPool();
  await putUser(server, poolId, { username: 'uma' });
  const choice = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: 'uma' },
      ClientMetadata: { from: 'initiate' },
    }),
  );
  assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
  const out = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SELECT_CHALLENGE',
      Session: choice.Session,
      ChallengeResponses: { USERNAME: 'uma', ANSWER: 'PASSWORD', PASSWORD },
      ClientMetadata: { from: 'respond' },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken);
  assert.deepEqual(requestOf('post-auth', 'uma')['clientMetadata'], { from: 'respond' });
  assert.deepEqual(requestOf('pre-token', 'uma')['clientMetadata'], { from: 'respond' });
  assert.deepEqual(requestOf('pre-auth', 'uma')['clientMetadata'], { from: 'respond' });
  assert.equal(requestOf('pre-auth', 'uma')['validationData'], undefined);
});

test("REFRESH_TOKEN_AUTH's ClientMetadata does not reach pre token generation; GetTokensFromRefreshToken's does", async () => {
  const { poolId, clientId } = await recordingPool();
  await putUser(server, poolId, { username: 'rey' });
  const tokens = await server.anonymous.send(passwordAuth(clientId, 'rey', { from: 'initiate' }));
  const refreshToken = tokens.AuthenticationResult?.RefreshToken ?? '';
  const before = recorder.received('pre-token').length;
  await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
      ClientMetadata: { from: 'refresh' },
    }),
  );
  const refreshed = recorder.received('pre-token').slice(before);
  assert.equal(refreshed.length, 1);
  assert.equal(refreshed[0]?.['triggerSource'], 'TokenGeneration_RefreshTokens');
  assert.equal((refreshed[0]?.['request'] as Record<string, unknown>)['clientMetadata'], undefined);

  await server.anonymous.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken, ClientMetadata: { from: 'api' } }),
  );
  assert.deepEqual(requestOf('pre-token', 'rey')['clientMetadata'], { from: 'api' });
});

test('the operations that send a code pass their ClientMetadata to the custom message trigger', async () => {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['email'],
    LambdaConfig: { CustomMessage: functionArn('custom-message') },
  });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: [...AUTH_FLOWS] });
  const sent = (): Record<string, unknown>[] => recorder.received('custom-message').filter((e) => e['userPoolId'] === poolId);
  const metadataOfLast = (source: string): unknown => {
    const event = sent().at(-1);
    assert.equal(event?.['triggerSource'], source);
    return (event?.['request'] as Record<string, unknown>)['clientMetadata'];
  };
  await putUser(server, poolId, { username: 'cleo', attributes: { email: 'cleo@example.com', email_verified: 'true' } });

  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'cleo', ClientMetadata: { from: 'forgot' } }));
  assert.deepEqual(metadataOfLast('CustomMessage_ForgotPassword'), { from: 'forgot' });
  await server.admin.send(
    new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'cleo', ClientMetadata: { from: 'admin-reset' } }),
  );
  assert.deepEqual(metadataOfLast('CustomMessage_ForgotPassword'), { from: 'admin-reset' });
  await server.admin.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId,
      Username: 'cleo',
      UserAttributes: [{ Name: 'email', Value: 'cleo-admin@example.com' }],
      ClientMetadata: { from: 'admin-update' },
    }),
  );
  assert.deepEqual(metadataOfLast('CustomMessage_UpdateUserAttribute'), { from: 'admin-update' });

  await putUser(server, poolId, { username: 'cid', attributes: { email: 'cid@example.com', email_verified: 'true' } });
  const signedIn = await server.anonymous.send(passwordAuth(clientId, 'cid', { from: 'initiate' }));
  await server.anonymous.send(
    new UpdateUserAttributesCommand({
      AccessToken: signedIn.AuthenticationResult?.AccessToken,
      UserAttributes: [{ Name: 'email', Value: 'cid-new@example.com' }],
      ClientMetadata: { from: 'update' },
    }),
  );
  assert.deepEqual(metadataOfLast('CustomMessage_UpdateUserAttribute'), { from: 'update' });
});
