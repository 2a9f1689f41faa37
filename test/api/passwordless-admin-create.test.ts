import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserAuthFactorsCommand,
  AdminGetUserCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, type TestServer } from '../support/server.js';
import { codeInMail, serverWithSmtpSink, type SmtpSink } from '../support/smtp.js';
import { createClient, createPool, decodePayload } from './auth-fixtures.js';

/*
 * AdminCreateUser in a pool with passwordless sign-in, through the AWS SDK v3, with the sign-in code
 * read back from a real SMTP server (smtp-server, parsed with mailparser): left without a
 * TemporaryPassword, the user has no password, is CONFIRMED rather than FORCE_CHANGE_PASSWORD
 * ("if the user has a password, they will be in the FORCE_CHANGE_PASSWORD state", AdminCreateUser)
 * and signs in with USER_AUTH and EMAIL_OTP.
 */

let server: TestServer;
let sink: SmtpSink;
serverWithSmtpSink((started, startedSink) => {
  server = started;
  sink = startedSink;
});

const EMAIL_OTP_POOL = { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, 'EMAIL_OTP' as const] } } };

async function adminCreate(poolId: string, username: string, extra: { TemporaryPassword?: string; email?: string } = {}) {
  const created = await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      ...(extra.TemporaryPassword !== undefined ? { TemporaryPassword: extra.TemporaryPassword } : {}),
      UserAttributes: extra.email
        ? [
            { Name: 'email', Value: extra.email },
            { Name: 'email_verified', Value: 'true' },
          ]
        : [],
    }),
  );
  return created.User!;
}

test('a user created without a password in an EMAIL_OTP pool is CONFIRMED and signs in with USER_AUTH and an emailed code', async () => {
  const poolId = await createPool(server, EMAIL_OTP_POOL);
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] });
  const created = await adminCreate(poolId, 'olga', { email: 'olga@example.com' });
  assert.equal(created.UserStatus, 'CONFIRMED');
  assert.equal(sink.received.length, 0, 'SUPPRESS: no invitation');
  const factors = await server.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'olga' }));
  assert.deepEqual(factors.ConfiguredUserAuthFactors, ['EMAIL_OTP'], 'no password among the factors');

  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'olga', PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    }),
  );
  assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
  assert.deepEqual(challenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'o***@e***' });
  const { mail, envelope } = await sink.nth(1);
  assert.deepEqual(envelope.to, ['olga@example.com']);
  const signedIn = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'EMAIL_OTP',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: 'olga', EMAIL_OTP_CODE: codeInMail(mail) },
    }),
  );
  assert.equal(signedIn.ChallengeName, undefined, 'no NEW_PASSWORD_REQUIRED: the user has no password to replace');
  assert.equal(decodePayload(signedIn.AuthenticationResult!.AccessToken!)['username'], 'olga');
  const after = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'olga' }));
  assert.equal(after.UserStatus, 'CONFIRMED');

  // Without a password, no password signs in.
  const error = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'olga', PASSWORD: 'Any-Passw0rd!' },
      }),
    ),
  );
  assert.deepEqual([error.name, error.message], ['NotAuthorizedException', 'Incorrect username or password.']);
});

test('a TemporaryPassword given in a passwordless pool, or no passwordless factor, keeps FORCE_CHANGE_PASSWORD', async () => {
  const passwordless = await createPool(server, EMAIL_OTP_POOL);
  const given = await adminCreate(passwordless, 'pat', { email: 'pat@example.com', TemporaryPassword: 'Temp-Passw0rd!' });
  assert.equal(given.UserStatus, 'FORCE_CHANGE_PASSWORD');

  const passwordOnly = await createPool(server);
  const generated = await adminCreate(passwordOnly, 'quinn', { email: 'quinn@example.com' });
  assert.equal(generated.UserStatus, 'FORCE_CHANGE_PASSWORD', 'a pool without a code factor generates a temporary password');
});

test('a passwordless user needs somewhere to receive the code', async () => {
  const poolId = await createPool(server, EMAIL_OTP_POOL);
  const error = await captureError(() => adminCreate(poolId, 'sam'));
  assert.deepEqual([error.name, error.message], ['InvalidParameterException', 'Email is required for a user without a password.']);
  const missing = await captureError(() => server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' })));
  assert.equal(missing.name, 'UserNotFoundException', 'nothing was created');
});

test('a pool cannot allow only passwordless first factors', async () => {
  const error = await captureError(() =>
    server.admin.send(
      new CreateUserPoolCommand({ PoolName: 'otp-only', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } } }),
    ),
  );
  assert.deepEqual(
    [error.name, error.message],
    ['InvalidParameterException', 'Password should be configured as one of the allowed first auth factors.'],
  );
});
