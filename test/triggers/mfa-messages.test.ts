import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminSetUserMFAPreferenceCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { functionArn, moduleFunctions } from '../support/functions.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';

// MFA codes go out as Cognito sends them: through the custom message trigger with the source
// CustomMessage_Authentication, whose answer is the text the user receives.

const functions = moduleFunctions({
  'custom-message': `
export const handler = async (event) => {
  if (event.triggerSource === 'CustomMessage_Authentication') {
    event.response.smsMessage = 'Your sign-in code is ' + event.request.codeParameter + ' (' + event.triggerSource + ', client ' + event.callerContext.clientId + ')';
  }
  return event;
};`,
});

let server: TestServer;
before(async () => {
  server = await startTestServer({ functions });
});
after(() => server.stop());

test('an SMS MFA code goes through the custom message trigger as CustomMessage_Authentication', async () => {
  const SmsConfiguration = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'cognate' };
  const poolId = await createPool(server, { PoolName: 'mfa-messages', LambdaConfig: { CustomMessage: functionArn('custom-message') } });
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration } }),
  );
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'sms-user', attributes: { phone_number: '+15555550111' } });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'sms-user', SMSMfaSettings: { Enabled: true } }),
  );

  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sms-user', PASSWORD } }),
  );
  assert.equal(challenge.ChallengeName, 'SMS_MFA');
  const message = (await server.lastMessage(poolId, 'sms-user', 'mfa'))!;
  assert.equal(message.message, `Your sign-in code is ${message.code} (CustomMessage_Authentication, client ${clientId})`);
});
