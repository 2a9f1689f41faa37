import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCreateUserCommand, AdminGetUserCommand, ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { startSmsReceiver, type SmsReceiver, type SmsReceiverOptions } from '../support/sms.js';
import { adminPasswordChallenge, createClient, createPool, signUpUser } from '../api/users-fixtures.js';

// SMS goes out through a pluggable sender: a JSON webhook, or SNS's Publish (signed like any AWS
// call) to an SNS-compatible endpoint. The code in the SMS confirms the user through the SDK.

const PHONE = '+15555550100';

async function withReceiver(
  options: SmsReceiverOptions,
  run: (server: TestServer, receiver: SmsReceiver) => Promise<void>,
  timeout = 5000,
): Promise<void> {
  const receiver = await startSmsReceiver(options);
  const setting = options.kind === 'webhook' ? { smsWebhookUrl: receiver.url } : { snsEndpoint: receiver.url };
  const server = await startTestServer({ ...setting, deliveryTimeout: timeout });
  try {
    await run(server, receiver);
  } finally {
    await server.stop();
    await receiver.stop();
  }
}

async function phonePool(server: TestServer): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['phone_number'],
    VerificationMessageTemplate: { SmsMessage: 'Your {username} code is {####}' },
  });
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

function codeIn(message: string): string {
  const code = /code is (\d{6})$/.exec(message)?.[1];
  assert.ok(code, `a six-digit code in ${JSON.stringify(message)}`);
  return code;
}

test('the sign-up code goes to the SMS webhook as JSON and confirms the user', async () => {
  await withReceiver({ kind: 'webhook' }, async (server, receiver) => {
    const { poolId, clientId } = await phonePool(server);
    await signUpUser(server, clientId, 'walt', { phone_number: PHONE });
    const sms = await receiver.nth(1);
    assert.equal(sms.phoneNumber, PHONE);
    assert.deepEqual(
      { userPoolId: sms.fields['userPoolId'], username: sms.fields['username'], purpose: sms.fields['purpose'] },
      { userPoolId: poolId, username: 'walt', purpose: 'signup' },
    );
    await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'walt', ConfirmationCode: codeIn(sms.message) }));
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'walt' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
  });
});

test('the sign-up code goes to an SNS endpoint as a signed Publish call and confirms the user', async () => {
  await withReceiver({ kind: 'sns' }, async (server, receiver) => {
    const { poolId, clientId } = await phonePool(server);
    await signUpUser(server, clientId, 'sena', { phone_number: PHONE });
    const sms = await receiver.nth(1);
    assert.deepEqual(receiver.refused, []);
    assert.equal(sms.fields['Version'], '2010-03-31');
    assert.equal(sms.phoneNumber, PHONE);
    assert.equal(sms.fields['MessageAttributes.entry.1.Name'], 'AWS.SNS.SMS.SMSType');
    assert.equal(sms.fields['MessageAttributes.entry.1.Value.StringValue'], 'Transactional');
    assert.match(sms.message, /^Your sena code is \d{6}$/);
    await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'sena', ConfirmationCode: codeIn(sms.message) }));
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sena' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
  });
});

test('the AdminCreateUser invitation goes by SMS (the default medium for a user with a phone) and its password signs in', async () => {
  await withReceiver({ kind: 'webhook' }, async (server, receiver) => {
    const { poolId } = await phonePool(server);
    const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] });
    await server.admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ines', UserAttributes: [{ Name: 'phone_number', Value: PHONE }] }),
    );
    const sms = await receiver.nth(1);
    assert.equal(sms.phoneNumber, PHONE);
    assert.equal(sms.fields['purpose'], 'admin-create-user');
    const password = /^Your username is ines and temporary password is (\S+)$/.exec(sms.message)?.[1];
    assert.ok(password, `a temporary password in ${sms.message}`);
    assert.equal(await adminPasswordChallenge(server, poolId, clientId, 'ines', password), 'NEW_PASSWORD_REQUIRED');
  });
});

for (const [fault, options] of [
  ['answers 500', { kind: 'webhook', failWith: 500 }],
  ['never answers', { kind: 'webhook', stall: true }],
  ['refuses the SNS call', { kind: 'sns', failWith: 403 }],
] as const) {
  test(`an SMS sender that ${fault} fails SignUp with CodeDeliveryFailureException; the user stays, no code works`, async () => {
    await withReceiver(
      options,
      async (server, receiver) => {
        const { poolId, clientId } = await phonePool(server);
        const error = await captureError(() => signUpUser(server, clientId, 'failed', { phone_number: PHONE }));
        assert.equal(error.name, 'CodeDeliveryFailureException');
        assert.equal(error.message, 'Invalid phone number provided/Unable to send the SMS');
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.equal(receiver.received.length, 0);
        // The user exists, unconfirmed (as Cognito keeps it), and no copy of a code reached the inbox.
        const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'failed' }));
        assert.equal(user.UserStatus, 'UNCONFIRMED');
        assert.equal(await server.lastMessage(poolId, 'failed'), undefined);
        const stored = await server.services.store.codes.get(poolId, 'failed', 'signup');
        assert.equal(stored, undefined, 'the undelivered code was deleted');
      },
      // A short timeout only where it is what ends the send.
      'stall' in options ? 300 : 30_000,
    );
  });
}
