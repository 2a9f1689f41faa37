import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import type { InboxMessage } from '../../src/store/ports.js';
import { PASSWORD, TEMPLATED, confirmedUser, createClient, createPool } from './users-fixtures.js';

// Every message a user can be sent, read back from the local inbox: each source takes the text the
// pool's templates give it, with `{####}` and `{username}` filled in.

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

/** The newest message for a user of the pool. */
async function lastMessage(poolId: string, username: string): Promise<InboxMessage> {
  const message = await server.lastMessage(poolId, username);
  assert.ok(message, `a message for ${username}`);
  return message;
}

async function templatedPool(): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, TEMPLATED);
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  return { poolId, clientId };
}

async function signUp(clientId: string, username: string): Promise<void> {
  await server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }),
  );
}

function assertTemplated(message: InboxMessage, username: string, purpose: string): void {
  assert.equal(message.purpose, purpose);
  assert.equal(message.medium, 'EMAIL');
  assert.match(message.code ?? '', /^\d{6}$/);
  assert.equal(message.subject, `Code for ${username}`);
  assert.equal(message.message, `Hello ${username}, your code is ${message.code}.`);
}

test('SignUp and ResendConfirmationCode send the verification template', async () => {
  const { poolId, clientId } = await templatedPool();
  await signUp(clientId, 'signer');
  const first = await lastMessage(poolId, 'signer');
  assertTemplated(first, 'signer', 'signup');

  await server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'signer' }));
  const resent = await lastMessage(poolId, 'signer');
  assertTemplated(resent, 'signer', 'signup');
  assert.notEqual(resent.code, first.code);
});

test('ForgotPassword and AdminResetUserPassword send the verification template', async () => {
  const { poolId, clientId } = await templatedPool();
  await confirmedUser(server, poolId, 'forgetful');
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'forgetful' }));
  assertTemplated(await lastMessage(poolId, 'forgetful'), 'forgetful', 'forgot-password');

  await confirmedUser(server, poolId, 'reset');
  await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'reset' }));
  assertTemplated(await lastMessage(poolId, 'reset'), 'reset', 'forgot-password');
});

test('attribute updates and verification requests send the verification template', async () => {
  const { poolId, clientId } = await templatedPool();
  await confirmedUser(server, poolId, 'mover');
  await server.admin.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId,
      Username: 'mover',
      UserAttributes: [{ Name: 'email', Value: 'moved@example.com' }],
    }),
  );
  assertTemplated(await lastMessage(poolId, 'mover'), 'mover', 'verify:email');

  await confirmedUser(server, poolId, 'self');
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'self', PASSWORD } }),
  );
  const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
  await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'self-new@example.com' }] }),
  );
  assertTemplated(await lastMessage(poolId, 'self'), 'self', 'verify:email');
  await server.anonymous.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
  assertTemplated(await lastMessage(poolId, 'self'), 'self', 'verify:email');
});

test('the legacy verification fields apply when there is no VerificationMessageTemplate', async () => {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['email'],
    EmailVerificationSubject: 'Legacy subject',
    EmailVerificationMessage: 'Legacy code {####}',
  });
  const { clientId } = await createClient(server, poolId);
  await signUp(clientId, 'legacy');
  const message = await lastMessage(poolId, 'legacy');
  assert.equal(message.subject, 'Legacy subject');
  assert.equal(message.message, `Legacy code ${message.code}`);
});

test("a pool without templates sends Cognito's default texts", async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  const { clientId } = await createClient(server, poolId);
  await signUp(clientId, 'plain');
  const message = await lastMessage(poolId, 'plain');
  assert.equal(message.subject, 'Your verification code');
  assert.equal(message.message, `Your verification code is ${message.code}. `);

  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'invited-plain',
      TemporaryPassword: 'Temporary-Pass-1',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'invited-plain@example.com' }],
    }),
  );
  const invitation = await lastMessage(poolId, 'invited-plain');
  assert.equal(invitation.subject, 'Your temporary password');
  assert.equal(invitation.message, 'Your username is invited-plain and temporary password is Temporary-Pass-1.');
});

test('AdminCreateUser sends the invitation template, and none when it has no {####}', async () => {
  const { poolId } = await templatedPool();
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'invited',
      TemporaryPassword: 'Temporary-Pass-1',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }],
    }),
  );
  const invitation = await lastMessage(poolId, 'invited');
  assert.equal(invitation.purpose, 'admin-create-user');
  assert.equal(invitation.subject, 'Welcome invited');
  assert.equal(invitation.message, 'Sign in as invited with Temporary-Pass-1 today.');

  const silentPool = await createPool(server, {
    AdminCreateUserConfig: { InviteMessageTemplate: { EmailSubject: 'Hi', EmailMessage: 'Welcome {username}, ask us for a password.' } },
  });
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: silentPool,
      Username: 'uninvited',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'uninvited@example.com' }],
    }),
  );
  assert.equal(await server.lastMessage(silentPool, 'uninvited'), undefined);
});
