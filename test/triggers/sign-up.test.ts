import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
  type CreateUserPoolCommandInput,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
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
async function serverFor(mode: 'module' | 'url' | 'lambdaEndpoint'): Promise<TestServer> {
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
