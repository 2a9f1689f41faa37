import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
import { PASSWORD, confirmedUser, createClient, createPool } from '../api/users-fixtures.js';
import type { InboxMessage } from '../../src/store/ports.js';

// The custom message trigger, as AWS's developer guide writes it: the text a user receives is the
// handler's, with the code and username placeholders filled in.

const handlers = moduleFunctions({
  // AWS's "Custom message for sign-up" and "for admin create user" examples, plus a line that shows
  // what the event carried.
  'custom-message': `
export const handler = async (event) => {
  const seen = event.triggerSource + ' client=' + event.callerContext.clientId +
    ' meta=' + JSON.stringify(event.request.clientMetadata ?? null) + ' status=' + event.request.userAttributes['cognito:user_status'];
  if (event.triggerSource === 'CustomMessage_SignUp') {
    const message = 'Thank you for signing up. Your confirmation code is ' + event.request.codeParameter + '. ' + seen;
    event.response.smsMessage = message;
    event.response.emailMessage = message;
    event.response.emailSubject = 'Welcome to the service.';
  } else if (event.triggerSource === 'CustomMessage_AdminCreateUser') {
    event.response.emailSubject = 'Welcome to the service';
    event.response.emailMessage = 'Your user name is ' + event.request.usernameParameter + ' and your temporary password is ' +
      event.request.codeParameter + '. ' + seen;
  } else {
    event.response.emailSubject = 'About your account';
    event.response.emailMessage = 'Your code is ' + event.request.codeParameter + '. ' + seen;
  }
  return event;
};`,
  'no-code': `export const handler = async (event) => { event.response.emailMessage = 'Welcome, no code here.'; return event; };`,
  'not-a-string': `export const handler = async (event) => { event.response.emailMessage = 42; return event; };`,
  'extra-field': `export const handler = async (event) => { event.response.autoConfirmUser = true; return event; };`,
  'sms-only': `export const handler = async (event) => { event.response.smsMessage = 'Code ' + event.request.codeParameter; return event; };`,
  'subject-only': `export const handler = async (event) => { event.response.emailSubject = 'Just the subject'; return event; };`,
  'too-long': `export const handler = async (event) => {
  event.response.emailMessage = 'x'.repeat(20001) + event.request.codeParameter;
  event.response.emailSubject = 'Long';
  return event;
};`,
  throws: `export const handler = async () => { throw new Error('Messages are switched off'); };`,
});

let functions: FunctionServer;
const servers: TestServer[] = [];
before(async () => {
  functions = await serveFunctions(handlers);
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await functions.close();
});

async function serverIn(mode: (typeof FUNCTION_MODES)[number]): Promise<TestServer> {
  const server = await startTestServer({ functions: functions.targets(mode) });
  servers.push(server);
  return server;
}

/** Email through the team's own SES identity: the only setting under which AWS takes the trigger's email fields. */
const DEVELOPER_EMAIL = {
  EmailSendingAccount: 'DEVELOPER',
  SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com',
} as const;

async function poolWith(server: TestServer, name: string, extra: Partial<CreateUserPoolCommandInput> = {}) {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['email'],
    LambdaConfig: { CustomMessage: functionArn(name) },
    EmailConfiguration: DEVELOPER_EMAIL,
    ...extra,
  });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  return { poolId, clientId };
}

async function signUp(server: TestServer, clientId: string, username: string, meta?: Record<string, string>) {
  return server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      ...(meta ? { ClientMetadata: meta } : {}),
    }),
  );
}

async function lastMessage(server: TestServer, poolId: string, username: string): Promise<InboxMessage> {
  const message = await server.lastMessage(poolId, username);
  assert.ok(message, `a message for ${username}`);
  return message;
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: SignUp sends the handler's message, with the code and the call's ClientMetadata`, async () => {
    const server = await serverIn(mode);
    const { poolId, clientId } = await poolWith(server, 'custom-message');
    await signUp(server, clientId, 'alice', { campaign: 'winter' });
    const message = await lastMessage(server, poolId, 'alice');
    assert.match(message.code ?? '', /^\d{6}$/);
    assert.equal(message.subject, 'Welcome to the service.');
    assert.equal(
      message.message,
      `Thank you for signing up. Your confirmation code is ${message.code}. ` +
        `CustomMessage_SignUp client=${clientId} meta={"campaign":"winter"} status=UNCONFIRMED`,
    );
    const [logged] = await server.services.invocations.list(poolId);
    assert.equal(logged?.triggerSource, 'CustomMessage_SignUp');
    assert.equal(logged?.outcome, 'ok');
  });
}

test('url: the event has the custom message request and response fields', async () => {
  const server = await serverIn('url');
  const { poolId, clientId } = await poolWith(server, 'custom-message');
  const before = functions.events('custom-message').length;
  await signUp(server, clientId, 'eve');
  const event = functions.events('custom-message')[before] as {
    triggerSource: string;
    userPoolId: string;
    userName: string;
    request: Record<string, unknown>;
    response: Record<string, unknown>;
  };
  assert.equal(event.triggerSource, 'CustomMessage_SignUp');
  assert.equal(event.userPoolId, poolId);
  assert.equal(event.userName, 'eve');
  const attributes = event.request['userAttributes'] as Record<string, string>;
  assert.equal(attributes['email'], 'eve@example.com');
  assert.match(attributes['sub'] ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(event.request['codeParameter'], '{####}');
  assert.equal(event.request['linkParameter'], '{##Click Here##}');
  assert.equal(event.request['usernameParameter'], null);
  assert.equal('clientMetadata' in event.request, false);
  assert.deepEqual(event.response, { smsMessage: null, emailMessage: null, emailSubject: null });
});

test('every code a user is sent goes through the trigger with its own source', async () => {
  const server = await serverIn('module');
  const { poolId, clientId } = await poolWith(server, 'custom-message');

  await signUp(server, clientId, 'bob');
  await server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'bob', ClientMetadata: { why: 'lost' } }));
  const resent = await lastMessage(server, poolId, 'bob');
  assert.equal(resent.subject, 'About your account');
  assert.equal(
    resent.message,
    `Your code is ${resent.code}. CustomMessage_ResendCode client=${clientId} meta={"why":"lost"} status=UNCONFIRMED`,
  );

  await confirmedUser(server, poolId, 'carol');
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'carol' }));
  const reset = await lastMessage(server, poolId, 'carol');
  assert.equal(reset.purpose, 'forgot-password');
  assert.equal(reset.message, `Your code is ${reset.code}. CustomMessage_ForgotPassword client=${clientId} meta=null status=CONFIRMED`);

  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD } }),
  );
  const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
  await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'carol-new@example.com' }] }),
  );
  const updated = await lastMessage(server, poolId, 'carol');
  assert.equal(updated.purpose, 'verify:email');
  assert.equal(updated.destination, 'carol-new@example.com');
  assert.equal(
    updated.message,
    `Your code is ${updated.code}. CustomMessage_UpdateUserAttribute client=${clientId} meta=null status=CONFIRMED`,
  );

  await server.anonymous.send(
    new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email', ClientMetadata: { a: 'b' } }),
  );
  const verify = await lastMessage(server, poolId, 'carol');
  assert.equal(
    verify.message,
    `Your code is ${verify.code}. CustomMessage_VerifyUserAttribute client=${clientId} meta={"a":"b"} status=CONFIRMED`,
  );
});

test('AdminCreateUser: the invitation gets {username} and the temporary password, with no app client', async () => {
  const server = await serverIn('module');
  const { poolId } = await poolWith(server, 'custom-message');
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dave',
      TemporaryPassword: 'Temporary-Pass-1',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }],
      ClientMetadata: { invitedBy: 'admin' },
    }),
  );
  const invitation = await lastMessage(server, poolId, 'dave');
  assert.equal(invitation.purpose, 'admin-create-user');
  assert.equal(invitation.subject, 'Welcome to the service');
  assert.equal(
    invitation.message,
    'Your user name is dave and your temporary password is Temporary-Pass-1. ' +
      'CustomMessage_AdminCreateUser client=CLIENT_ID_NOT_APPLICABLE meta={"invitedBy":"admin"} status=FORCE_CHANGE_PASSWORD',
  );
});

test("fields the handler leaves null keep the pool's text; an email body over 20,000 characters is ignored", async () => {
  const server = await serverIn('module');
  const templates = { VerificationMessageTemplate: { EmailSubject: 'Pool subject', EmailMessage: 'Pool code {####}' } };
  const subjectOnly = await poolWith(server, 'subject-only', templates);
  await signUp(server, subjectOnly.clientId, 'frank');
  const message = await lastMessage(server, subjectOnly.poolId, 'frank');
  assert.equal(message.subject, 'Just the subject');
  assert.equal(message.message, `Pool code ${message.code}`);

  const tooLong = await poolWith(server, 'too-long', templates);
  await signUp(server, tooLong.clientId, 'grace');
  const long = await lastMessage(server, tooLong.poolId, 'grace');
  assert.equal(long.subject, 'Long');
  assert.equal(long.message, `Pool code ${long.code}`);
});

test("an answer Cognito cannot use gets Cognito's error", async () => {
  const server = await serverIn('module');
  const noCode = await poolWith(server, 'no-code');
  const missing = await captureError(() => signUp(server, noCode.clientId, 'henry'));
  assert.equal(missing.name, 'InvalidParameterException');
  assert.equal(
    missing.message,
    "1 validation error detected: Value 'Welcome, no code here.' at 'emailBody' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*',
  );
  assert.equal(missing.$metadata?.httpStatusCode, 400);

  for (const name of ['not-a-string', 'extra-field']) {
    const pool = await poolWith(server, name);
    const error = await captureError(() => signUp(server, pool.clientId, `ivy-${name}`));
    assert.equal(error.name, 'InvalidLambdaResponseException', name);
    assert.equal(error.message, 'Unrecognizable lambda output', name);
    assert.equal(error.$metadata?.httpStatusCode, 400, name);
  }

  const refusing = await poolWith(server, 'throws');
  const thrown = await captureError(() => signUp(server, refusing.clientId, 'jack'));
  assert.equal(thrown.name, 'UserLambdaValidationException');
  assert.equal(thrown.message, 'CustomMessage failed with error Messages are switched off.');
  assert.equal(await server.lastMessage(refusing.poolId, 'jack'), undefined);
});

test('without EmailSendingAccount DEVELOPER, an emailMessage or emailSubject is InvalidLambdaResponseException, as the guide says', async () => {
  const server = await serverIn('module');
  const cognitoDefault = { EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' as const } };
  for (const name of ['custom-message', 'subject-only']) {
    const pool = await poolWith(server, name, cognitoDefault);
    const error = await captureError(() => signUp(server, pool.clientId, `kate-${name}`));
    assert.equal(error.name, 'InvalidLambdaResponseException', name);
    assert.equal(error.message, 'Unrecognizable lambda output', name);
    assert.equal(error.$metadata?.httpStatusCode, 400, name);
    assert.equal(await server.lastMessage(pool.poolId, `kate-${name}`), undefined, name);
  }
  // A handler that leaves the email fields alone still runs: the pool's own email text goes out.
  const smsOnly = await poolWith(server, 'sms-only', {
    ...cognitoDefault,
    VerificationMessageTemplate: { EmailSubject: 'Pool subject', EmailMessage: 'Pool code {####}' },
  });
  await signUp(server, smsOnly.clientId, 'liam');
  const message = await lastMessage(server, smsOnly.poolId, 'liam');
  assert.equal(message.subject, 'Pool subject');
  assert.equal(message.message, `Pool code ${message.code}`);
});
