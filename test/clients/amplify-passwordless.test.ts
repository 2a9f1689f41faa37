import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { AdminGetUserCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { AsyncMemoryStorage } from '../support/client-storage.js';
import { createConfirmedUser } from '../oauth/helpers.js';

/*
 * Amplify JS v6 signing in without a password against a real listening Cognate: USER_AUTH with
 * `preferredChallenge` EMAIL_OTP or SMS_OTP, the code read back from the local inbox and given to
 * `confirmSignIn`. Amplify keeps module state, so this file runs in a process of its own.
 */

const storage = new AsyncMemoryStorage();
let server: TestServer;
let poolId: string;

before(async () => {
  server = await startTestServer();
  const pool = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'amplify-passwordless',
      UsernameAttributes: ['email'],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
    }),
  );
  poolId = pool.UserPool!.Id!;
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: poolId,
        userPoolClientId: client.UserPoolClient!.ClientId!,
        userPoolEndpoint: server.url,
        loginWith: { email: true },
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});
after(() => server.stop());

beforeEach(async () => {
  await signOut().catch(() => undefined);
  await storage.clear();
});

let counter = 0;
/**
 * A confirmed user with an email address and a phone number, both verified. It has a password
 * (the fixture sets a permanent one), which these sign-ins never use. Its
 * username, under which the inbox keeps its codes, is its `sub`.
 */
async function passwordlessUser(): Promise<{ email: string; sub: string }> {
  counter += 1;
  const email = `nopass${counter}@example.com`;
  await createConfirmedUser(server, poolId, email, 'Unused-Password-9', {
    email,
    email_verified: 'true',
    phone_number: `+1555010${String(1000 + counter)}`,
    phone_number_verified: 'true',
  });
  return { email, sub: (await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).Username! };
}

async function inboxCode(sub: string, purpose: string): Promise<string> {
  const message = await server.lastMessage(poolId, sub, purpose);
  assert.ok(message?.code, `a ${purpose} code in the inbox`);
  return message.code;
}

test('signIn with USER_AUTH and preferredChallenge EMAIL_OTP, then confirmSignIn with the emailed code', async () => {
  const { email, sub } = await passwordlessUser();
  const asked = await signIn({ username: email, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
  assert.deepEqual(asked, {
    isSignedIn: false,
    nextStep: {
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'n***@e***' },
    },
  });
  const wrong = await captureError(() => confirmSignIn({ challengeResponse: '000000x' }));
  assert.equal(wrong.name, 'CodeMismatchException');
  const done = await confirmSignIn({ challengeResponse: await inboxCode(sub, 'sign-in:EMAIL_OTP') });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).userId, sub);
});

test('signIn with USER_AUTH and preferredChallenge SMS_OTP, then confirmSignIn with the texted code', async () => {
  const { email, sub } = await passwordlessUser();
  const asked = await signIn({ username: email, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'SMS_OTP' } });
  assert.equal(asked.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  const done = await confirmSignIn({ challengeResponse: await inboxCode(sub, 'sign-in:SMS_OTP') });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await getCurrentUser()).userId, sub);
});

test('the first-factor selection lists the code factors, and confirmSignIn chooses one', async () => {
  const { email, sub } = await passwordlessUser();
  const choice = await signIn({ username: email, options: { authFlowType: 'USER_AUTH' } });
  assert.deepEqual(choice, {
    isSignedIn: false,
    nextStep: {
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'],
    },
  });
  const asked = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
  assert.equal(asked.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  const done = await confirmSignIn({ challengeResponse: await inboxCode(sub, 'sign-in:EMAIL_OTP') });
  assert.equal(done.isSignedIn, true);
});
