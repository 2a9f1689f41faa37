import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeInMail, serverWithSmtpSink, startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp.js';
import { adminPasswordChallenge, PASSWORD, TEMPLATED, createClient, createPool, signUpUser } from '../api/users-fixtures.js';

// Email goes out over SMTP (nodemailer) to a real SMTP server (smtp-server), is read back and
// parsed (mailparser), and the code in it works through the AWS SDK. Every path that sends a code
// or a temporary password goes through the same delivery.

let server: TestServer;
let sink: SmtpSink;
let seen = 0;
serverWithSmtpSink((started, startedSink) => {
  server = started;
  sink = startedSink;
});

/** The next mail the SMTP server takes (mails arrive in the order the tests cause them). */
async function nextMail(): Promise<ReceivedMail> {
  seen += 1;
  return sink.nth(seen);
}

async function templatedPool(extra: Partial<CreateUserPoolCommandInput> = {}): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, { ...TEMPLATED, ...extra });
  const { clientId } = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  return { poolId, clientId };
}

/** Signs up, confirms with the mailed code and signs in; returns the access token. */
async function confirmedSignIn(clientId: string, username: string): Promise<string> {
  await signUpUser(server, clientId, username);
  const code = codeInMail((await nextMail()).mail);
  await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  return signedIn.AuthenticationResult!.AccessToken!;
}

test('the sign-up code arrives by SMTP with the pool template, and confirms the user', async () => {
  const { poolId, clientId } = await templatedPool();
  await signUpUser(server, clientId, 'mia');
  const { mail, envelope } = await nextMail();
  assert.deepEqual(envelope, { from: 'no-reply@verificationemail.com', to: ['mia@example.com'] });
  assert.equal(mail.from?.text, 'no-reply@verificationemail.com');
  assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined, 'mia@example.com');
  assert.equal(mail.replyTo, undefined);
  assert.equal(mail.subject, 'Code for mia');
  const code = codeInMail(mail);
  assert.equal(String(mail.html).trimEnd(), `Hello mia, your code is ${code}.`);
  // The local inbox keeps its copy while it is on.
  assert.equal((await server.lastMessage(poolId, 'mia', 'signup'))?.code, code);

  await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'mia', ConfirmationCode: code }));
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'mia' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
});

test("EmailConfiguration decides From and Reply-To: DEVELOPER's From, else the SES identity's address", async () => {
  const developer = await templatedPool({
    EmailConfiguration: {
      EmailSendingAccount: 'DEVELOPER',
      SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
      From: 'Example Auth <auth@example.com>',
      ReplyToEmailAddress: 'help@example.com',
    },
  });
  await signUpUser(server, developer.clientId, 'dev');
  const first = await nextMail();
  assert.deepEqual(first.mail.from?.value, [{ name: 'Example Auth', address: 'auth@example.com' }]);
  assert.equal(first.envelope.from, 'auth@example.com');
  assert.equal(first.mail.replyTo?.text, 'help@example.com');

  const cognito = await templatedPool({
    EmailConfiguration: {
      EmailSendingAccount: 'COGNITO_DEFAULT',
      SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/noreply@example.org',
    },
  });
  await signUpUser(server, cognito.clientId, 'cog');
  const second = await nextMail();
  assert.equal(second.mail.from?.text, 'noreply@example.org');
  assert.equal(second.mail.replyTo, undefined);
});

test('resend, forgot password and admin reset send their codes by SMTP, and each code works', async () => {
  const { poolId, clientId } = await templatedPool();
  await signUpUser(server, clientId, 'rene');
  await nextMail();
  await server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'rene' }));
  const resent = await nextMail();
  assert.equal(resent.mail.subject, 'Code for rene');
  await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: clientId, Username: 'rene', ConfirmationCode: codeInMail(resent.mail) }),
  );

  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'rene' }));
  const reset = await nextMail();
  assert.deepEqual(reset.envelope.to, ['rene@example.com']);
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: clientId,
      Username: 'rene',
      ConfirmationCode: codeInMail(reset.mail),
      Password: 'Another-Horse-7',
    }),
  );

  await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'rene' }));
  const adminReset = await nextMail();
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: clientId,
      Username: 'rene',
      ConfirmationCode: codeInMail(adminReset.mail),
      Password: PASSWORD,
    }),
  );
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rene', PASSWORD } }),
  );
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
});

test('attribute verification codes go by SMTP to the address being verified, and verify it', async () => {
  const { poolId, clientId } = await templatedPool();
  const accessToken = await confirmedSignIn(clientId, 'vera');

  await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'vera.new@example.com' }] }),
  );
  const changed = await nextMail();
  assert.deepEqual(changed.envelope.to, ['vera.new@example.com']);
  await server.anonymous.send(
    new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: codeInMail(changed.mail) }),
  );

  await server.anonymous.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
  const again = await nextMail();
  assert.deepEqual(again.envelope.to, ['vera.new@example.com']);
  await server.anonymous.send(
    new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: codeInMail(again.mail) }),
  );
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'vera' }));
  const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  assert.equal(attributes['email'], 'vera.new@example.com');
  assert.equal(attributes['email_verified'], 'true');
});

test('the AdminCreateUser invitation brings the temporary password by SMTP, and it signs in', async () => {
  const { poolId, clientId } = await templatedPool();
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'ivan',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'ivan@example.com' }],
    }),
  );
  const { mail, envelope } = await nextMail();
  assert.deepEqual(envelope.to, ['ivan@example.com']);
  assert.equal(mail.subject, 'Welcome ivan');
  const password = /with (\S+) today\.$/.exec(String(mail.html).trimEnd())?.[1];
  assert.ok(password, `a temporary password in ${String(mail.html)}`);
  assert.equal(await adminPasswordChallenge(server, poolId, clientId, 'ivan', password), 'NEW_PASSWORD_REQUIRED');
});

test('with the inbox off, email goes out by SMTP only', async () => {
  const own = await startSmtpSink();
  const quiet = await startTestServer({ smtpUrl: own.url, inbox: false });
  try {
    const poolId = await createPool(quiet, { AutoVerifiedAttributes: ['email'] });
    const { clientId } = await createClient(quiet, poolId);
    await signUpUser(quiet, clientId, 'otto');
    const { mail } = await own.nth(1);
    assert.match(codeInMail(mail), /^\d{6}$/);
    assert.equal(await quiet.lastMessage(poolId, 'otto'), undefined);
  } finally {
    await quiet.stop();
    await own.stop();
  }
});
