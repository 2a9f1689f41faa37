import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchMFAPreference, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import {
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { AsyncMemoryStorage } from '../support/client-storage.js';
import { totpAt } from '../support/totp.js';
import { PASSWORD, putUser } from '../api/auth-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';

/*
 * TOTP MFA through Amplify JS v6 in Node, as an app uses it: setUpTOTP, verifyTOTPSetup,
 * updateMFAPreference and fetchMFAPreference for a signed-in user, then signIn and confirmSignIn
 * with the authenticator's code; and the setup a pool with MFA ON asks for during sign-in. Amplify
 * keeps module state, so this file runs in a process of its own.
 */

const storage = new AsyncMemoryStorage();
// The server's clock is frozen, so the tests know which TOTP step it is in; SRP and SigV4 accept it.
const clock = FrozenClock.atNow();
let server: TestServer;
let seq = 0;

before(async () => {
  server = await startTestServer({}, { clock });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});
after(() => server.stop());
beforeEach(async () => {
  await signOut().catch(() => undefined);
  await storage.clear();
});

const SMS_CONFIGURATION = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'cognate' };

/** A pool with MFA as given (TOTP; with `allFactors`, SMS and email too), an app client, and Amplify configured for them. */
async function configure(mfa: 'OPTIONAL' | 'ON', allFactors = false): Promise<string> {
  const pool = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: `amplify-mfa-${++seq}`,
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com',
      },
    }),
  );
  const poolId = pool.UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mfa,
      SoftwareTokenMfaConfiguration: { Enabled: true },
      ...(allFactors ? { SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, EmailMfaConfiguration: {} } : {}),
    }),
  );
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  Amplify.configure({
    Auth: { Cognito: { userPoolId: poolId, userPoolClientId: client.UserPoolClient!.ClientId!, userPoolEndpoint: server.url } },
  });
  return poolId;
}

test('setUpTOTP, verifyTOTPSetup and updateMFAPreference, then signIn asks for the code and confirmSignIn takes it', async () => {
  const poolId = await configure('OPTIONAL');
  const username = `amplify${++seq}`;
  await putUser(server, poolId, { username });
  assert.deepEqual(await signIn({ username, password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });

  const details = await setUpTOTP();
  assert.match(details.sharedSecret, /^[A-Z2-7]{52}$/);
  assert.match(
    details.getSetupUri('Cognate', username).href,
    new RegExp(`^otpauth://totp/Cognate:${username}\\?secret=${details.sharedSecret}`),
  );
  await verifyTOTPSetup({ code: totpAt(details.sharedSecret, clock.now()), options: { friendlyDeviceName: 'Phone' } });
  await updateMFAPreference({ totp: 'PREFERRED' });
  assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
  await signOut();

  clock.advance(30_000);
  const challenged = await signIn({ username, password: PASSWORD });
  assert.deepEqual(challenged, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  const done = await confirmSignIn({ challengeResponse: totpAt(details.sharedSecret, clock.now()) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
});

test('MFA ON: signIn asks for TOTP setup and confirmSignIn with the first code finishes it', async () => {
  const poolId = await configure('ON');
  const username = `amplify${++seq}`;
  await putUser(server, poolId, { username });
  const challenged = await signIn({ username, password: PASSWORD });
  assert.equal(challenged.isSignedIn, false);
  const step = challenged.nextStep;
  assert.equal(step.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
  if (step.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') return;
  const secret = step.totpSetupDetails.sharedSecret;
  const done = await confirmSignIn({ challengeResponse: totpAt(secret, clock.now()) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });
});

test('confirmSignIn answers SMS and email codes, and the MFA selection', async () => {
  const poolId = await configure('OPTIONAL', true);
  const username = `amplify${++seq}`;
  await putUser(server, poolId, { username, attributes: { phone_number: '+15555550199', email: `${username}@example.com` } });
  const prefer = (settings: Record<string, { Enabled: boolean; PreferredMfa: boolean }>) =>
    server.admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, ...settings }));
  const code = async (): Promise<string> => (await server.lastMessage(poolId, username, 'mfa'))!.code!;

  await prefer({ SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
  const sms = await signIn({ username, password: PASSWORD });
  assert.equal(sms.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  assert.deepEqual(await confirmSignIn({ challengeResponse: await code() }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  await signOut();

  await prefer({ SMSMfaSettings: { Enabled: false, PreferredMfa: false }, EmailMfaSettings: { Enabled: true, PreferredMfa: true } });
  const email = await signIn({ username, password: PASSWORD });
  assert.equal(email.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.deepEqual(await confirmSignIn({ challengeResponse: await code() }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  await signOut();

  await prefer({ SMSMfaSettings: { Enabled: true, PreferredMfa: false }, EmailMfaSettings: { Enabled: true, PreferredMfa: false } });
  const select = await signIn({ username, password: PASSWORD });
  assert.deepEqual(select.nextStep, { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'EMAIL'] });
  const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
  assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.deepEqual(await confirmSignIn({ challengeResponse: await code() }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
});
