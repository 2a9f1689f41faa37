import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
  type CreateUserPoolCommandInput,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { eventRecorder } from './recording.js';
import { PASSWORD, attributesOf, codeFor, createClient, createPool, type TestClient } from '../api/users-fixtures.js';

/*
 * Pre sign-up and post confirmation, through the AWS SDK against a listening server. The handlers
 * are written as AWS's developer guide writes them; each also records the event it received
 * (recording.ts), so a test reads the event exactly as the handler got it, whatever ran it.
 */

const events = eventRecorder();
const received = events.received;
const lastReceived = events.last;

const handlers = moduleFunctions({
  // The guide's "auto-confirm users from a registered domain", with a refusal for a blocked one.
  'pre-sign-up': `${events.source('pre-sign-up')}export const handler = async (event) => {
  record(event);
  const email = event.request.userAttributes.email ?? '';
  if (email.endsWith('@blocked.example')) throw new Error('Registration from this domain is not allowed.');
  if (email.endsWith('@trusted.example')) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  if (event.request.validationData?.phoneChecked === 'yes') event.response.autoVerifyPhone = true;
  return event;
};`,
  'post-confirmation': `${events.source('post-confirmation')}export const handler = async (event) => {
  record(event);
  if ((event.request.userAttributes.email ?? '').startsWith('no-welcome')) throw new Error('Welcome mail failed');
  return event;
};`,
  'not-a-boolean': `export const handler = async (event) => { event.response.autoConfirmUser = 'yes'; return event; };`,
  'foreign-field': `export const handler = async (event) => { event.response.claimsOverrideDetails = {}; return event; };`,
  'post-with-response': `export const handler = async (event) => { event.response.autoConfirmUser = true; return event; };`,
});

let functions: FunctionServer;
const servers = new Map<string, TestServer>();
before(async () => {
  functions = await serveFunctions(handlers);
});
after(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
  await functions.close();
});

/** One server per function mode, on a clock frozen near the real time (SigV4 checks the date). */
async function serverFor(mode: (typeof FUNCTION_MODES)[number]): Promise<TestServer> {
  let server = servers.get(mode);
  if (!server) {
    server = await startTestServer({ functions: functions.targets(mode) }, { clock: FrozenClock.atNow() });
    servers.set(mode, server);
  }
  return server;
}

const TRIGGERS = { PreSignUp: functionArn('pre-sign-up'), PostConfirmation: functionArn('post-confirmation') };

async function triggerPool(
  server: TestServer,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ poolId: string; client: TestClient }> {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], LambdaConfig: TRIGGERS, ...input });
  return { poolId, client: await createClient(server, poolId) };
}

function signUp(server: TestServer, client: TestClient, input: Partial<SignUpCommandInput> & { Username: string }) {
  return server.anonymous.send(new SignUpCommand({ ClientId: client.clientId, Password: PASSWORD, ...input }));
}

async function adminUser(server: TestServer, poolId: string, username: string) {
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return { status: user.UserStatus, attributes: attributesOf(user.UserAttributes) };
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: pre sign-up sees the sign-up, auto-confirms a trusted domain and refuses a blocked one; post confirmation follows`, async () => {
    const server = await serverFor(mode);
    const { poolId, client } = await triggerPool(server);

    const trusted = await signUp(server, client, {
      Username: 'ana',
      UserAttributes: [{ Name: 'email', Value: 'ana@trusted.example' }],
      ValidationData: [{ Name: 'invite', Value: 'abc123' }],
      ClientMetadata: { campaign: 'winter' },
    });
    assert.deepEqual(lastReceived('pre-sign-up'), {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'ana',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: client.clientId },
      request: {
        userAttributes: { email: 'ana@trusted.example' },
        validationData: { invite: 'abc123' },
        clientMetadata: { campaign: 'winter' },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    // Confirmed at once: no code, no CodeDeliveryDetails, and post confirmation ran.
    assert.equal(trusted.UserConfirmed, true);
    assert.equal(trusted.CodeDeliveryDetails, undefined);
    assert.equal(await server.lastMessage(poolId, 'ana'), undefined);
    assert.deepEqual(await adminUser(server, poolId, 'ana'), {
      status: 'CONFIRMED',
      attributes: { sub: trusted.UserSub!, email: 'ana@trusted.example', email_verified: 'true' },
    });
    assert.deepEqual(lastReceived('post-confirmation'), {
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: 'ana',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: client.clientId },
      request: {
        userAttributes: {
          sub: trusted.UserSub!,
          email: 'ana@trusted.example',
          email_verified: 'true',
          'cognito:user_status': 'CONFIRMED',
        },
        clientMetadata: { campaign: 'winter' },
      },
      response: {},
    });

    const refused = await captureError(() =>
      signUp(server, client, { Username: 'bo', UserAttributes: [{ Name: 'email', Value: 'bo@blocked.example' }] }),
    );
    assert.equal(refused.name, 'UserLambdaValidationException');
    assert.equal(refused.message, 'PreSignUp failed with error Registration from this domain is not allowed..');
    assert.equal(refused.$metadata?.httpStatusCode, 400);
    assert.equal((await captureError(() => adminUser(server, poolId, 'bo'))).name, 'UserNotFoundException');

    // Neither: an ordinary UNCONFIRMED user with a code, confirmed later by ConfirmSignUp.
    const plain = await signUp(server, client, { Username: 'cy', UserAttributes: [{ Name: 'email', Value: 'cy@example.com' }] });
    assert.equal(plain.UserConfirmed, false);
    assert.equal(plain.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const before = received('post-confirmation').length;
    await server.anonymous.send(
      new ConfirmSignUpCommand({
        ClientId: client.clientId,
        Username: 'cy',
        ConfirmationCode: await codeFor(server, poolId, 'cy', 'signup'),
        ClientMetadata: { step: 'confirm' },
      }),
    );
    assert.equal(received('post-confirmation').length, before + 1);
    const confirmed = lastReceived('post-confirmation');
    assert.equal(confirmed['triggerSource'], 'PostConfirmation_ConfirmSignUp');
    assert.deepEqual(confirmed['request'], {
      userAttributes: { sub: plain.UserSub!, email: 'cy@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
      clientMetadata: { step: 'confirm' },
    });
  });
}

test('AdminCreateUser fires PreSignUp_AdminCreateUser without an app client and ignores the auto answers', async () => {
  const server = await serverFor('module');
  const { poolId } = await triggerPool(server);
  const created = await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dee',
      UserAttributes: [{ Name: 'email', Value: 'dee@trusted.example' }],
      ValidationData: [{ Name: 'ticket', Value: 'T-1' }],
      ClientMetadata: { by: 'admin' },
      MessageAction: 'SUPPRESS',
    }),
  );
  assert.deepEqual(lastReceived('pre-sign-up'), {
    version: '1',
    triggerSource: 'PreSignUp_AdminCreateUser',
    region: 'us-east-1',
    userPoolId: poolId,
    userName: 'dee',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    request: { userAttributes: { email: 'dee@trusted.example' }, validationData: { ticket: 'T-1' }, clientMetadata: { by: 'admin' } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  // The handler answered autoConfirmUser and autoVerifyEmail; AdminCreateUser ignores both.
  assert.equal(created.User?.UserStatus, 'FORCE_CHANGE_PASSWORD');
  assert.equal(attributesOf(created.User?.Attributes)['email_verified'], undefined);

  const refused = await captureError(() =>
    server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'eve',
        UserAttributes: [{ Name: 'email', Value: 'eve@blocked.example' }],
      }),
    ),
  );
  assert.equal(refused.name, 'UserLambdaValidationException');
  assert.equal(refused.message, 'PreSignUp failed with error Registration from this domain is not allowed..');
  assert.equal((await captureError(() => adminUser(server, poolId, 'eve'))).name, 'UserNotFoundException');
  assert.equal(await server.lastMessage(poolId, 'eve'), undefined);
});

test('autoVerifyPhone verifies the phone of a user who stays UNCONFIRMED and still gets a code', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server);
  const response = await signUp(server, client, {
    Username: 'fay',
    UserAttributes: [
      { Name: 'email', Value: 'fay@example.com' },
      { Name: 'phone_number', Value: '+15555550100' },
    ],
    ValidationData: [{ Name: 'phoneChecked', Value: 'yes' }],
  });
  assert.equal(response.UserConfirmed, false);
  assert.equal(response.CodeDeliveryDetails?.AttributeName, 'email');
  const user = await adminUser(server, poolId, 'fay');
  assert.equal(user.status, 'UNCONFIRMED');
  assert.equal(user.attributes['phone_number_verified'], 'true');
  assert.equal(user.attributes['email_verified'], undefined);
});

test('autoVerifyPhone for a user without a phone number is an invalid answer, and no user is created', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server);
  const error = await captureError(() =>
    signUp(server, client, {
      Username: 'gus',
      UserAttributes: [{ Name: 'email', Value: 'gus@example.com' }],
      ValidationData: [{ Name: 'phoneChecked', Value: 'yes' }],
    }),
  );
  assert.equal(error.name, 'InvalidLambdaResponseException');
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.equal((await captureError(() => adminUser(server, poolId, 'gus'))).name, 'UserNotFoundException');
});

test('a response field of the wrong type, or one pre sign-up may not set, is InvalidLambdaResponseException', async () => {
  const server = await serverFor('module');
  for (const name of ['not-a-boolean', 'foreign-field']) {
    const { poolId, client } = await triggerPool(server, { LambdaConfig: { PreSignUp: functionArn(name) } });
    const error = await captureError(() =>
      signUp(server, client, { Username: 'hal', UserAttributes: [{ Name: 'email', Value: 'hal@trusted.example' }] }),
    );
    assert.equal(error.name, 'InvalidLambdaResponseException', name);
    assert.equal(error.message, 'Unrecognizable lambda output', name);
    assert.equal((await captureError(() => adminUser(server, poolId, 'hal'))).name, 'UserNotFoundException', name);
  }
});

async function confirmWithCode(server: TestServer, poolId: string, client: TestClient, username: string) {
  const code = await codeFor(server, poolId, username, 'signup');
  return server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: username, ConfirmationCode: code }));
}

test('a failing post confirmation answers the error but leaves the user confirmed', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server);
  await signUp(server, client, { Username: 'ivy', UserAttributes: [{ Name: 'email', Value: 'no-welcome-ivy@example.com' }] });
  const failed = await captureError(() => confirmWithCode(server, poolId, client, 'ivy'));
  assert.equal(failed.name, 'UserLambdaValidationException');
  assert.equal(failed.message, 'PostConfirmation failed with error Welcome mail failed.');
  assert.equal(failed.$metadata?.httpStatusCode, 400);
  const user = await adminUser(server, poolId, 'ivy');
  assert.equal(user.status, 'CONFIRMED');
  assert.equal(user.attributes['email_verified'], 'true');
});

test('post confirmation may answer no response field', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server, { LambdaConfig: { PostConfirmation: functionArn('post-with-response') } });
  await signUp(server, client, { Username: 'jon', UserAttributes: [{ Name: 'email', Value: 'jon@example.com' }] });
  const error = await captureError(() => confirmWithCode(server, poolId, client, 'jon'));
  assert.equal(error.name, 'InvalidLambdaResponseException');
  assert.equal((await adminUser(server, poolId, 'jon')).status, 'CONFIRMED');
});

test('AdminConfirmSignUp fires PostConfirmation_ConfirmSignUp without an app client', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server);
  const { UserSub } = await signUp(server, client, { Username: 'kim', UserAttributes: [{ Name: 'email', Value: 'kim@example.com' }] });
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'kim', ClientMetadata: { by: 'support' } }));
  const event = lastReceived('post-confirmation');
  assert.equal(event['triggerSource'], 'PostConfirmation_ConfirmSignUp');
  assert.equal(event['userName'], 'kim');
  assert.deepEqual(event['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' });
  // AdminConfirmSignUp verifies nothing.
  assert.deepEqual(event['request'], {
    userAttributes: { sub: UserSub!, email: 'kim@example.com', 'cognito:user_status': 'CONFIRMED' },
    clientMetadata: { by: 'support' },
  });
});

test('ConfirmForgotPassword fires PostConfirmation_ConfirmForgotPassword, with the email alias Cognito adds', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server, { AliasAttributes: ['email'] });
  const { UserSub } = await signUp(server, client, { Username: 'lee', UserAttributes: [{ Name: 'email', Value: 'lee@example.com' }] });
  await confirmWithCode(server, poolId, client, 'lee');
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: 'lee' }));
  const code = await codeFor(server, poolId, 'lee', 'forgot-password');
  const before = received('post-confirmation').length;
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: client.clientId,
      Username: 'lee',
      ConfirmationCode: code,
      Password: 'Another-Horse-7',
      ClientMetadata: { reset: 'yes' },
    }),
  );
  assert.equal(received('post-confirmation').length, before + 1);
  const event = lastReceived('post-confirmation');
  assert.equal(event['triggerSource'], 'PostConfirmation_ConfirmForgotPassword');
  assert.deepEqual(event['callerContext'], { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: client.clientId });
  assert.deepEqual(event['request'], {
    userAttributes: {
      sub: UserSub!,
      email: 'lee@example.com',
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
      'cognito:email_alias': 'lee@example.com',
    },
    clientMetadata: { reset: 'yes' },
  });
});

test('autoVerifyEmail moves an email alias from the user who held it to the new user', async () => {
  const server = await serverFor('module');
  const { poolId, client } = await triggerPool(server, { AliasAttributes: ['email'] });
  await signUp(server, client, { Username: 'max', UserAttributes: [{ Name: 'email', Value: 'shared@trusted.example' }] });
  assert.equal((await adminUser(server, poolId, 'max')).attributes['email_verified'], 'true');
  await signUp(server, client, { Username: 'ned', UserAttributes: [{ Name: 'email', Value: 'shared@trusted.example' }] });
  assert.equal((await adminUser(server, poolId, 'ned')).attributes['email_verified'], 'true');
  assert.equal((await adminUser(server, poolId, 'max')).attributes['email_verified'], 'false');
});
