import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminGetUserCommand, GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, putUser } from './auth-fixtures.js';

let server: TestServer;
serverForTests((s) => (server = s));

test('GetUser and AdminGetUser report the same MFA settings for the same record (one reader)', async () => {
  const poolId = await createPool(server, { PoolName: 'mfa-reader' });
  const { clientId } = await createClient(server, poolId);
  const user = await putUser(server, poolId, { username: 'reader' });
  // The record's settings as older writers left them: a list out of Cognito's order, and a flag.
  await server.services.store.users.update({
    ...user,
    extra: { ...user.extra, mfa: { enabled: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA'], emailEnabled: true } },
  });
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reader', PASSWORD } }),
  );
  const self = await server.anonymous.send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
  const admin = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'reader' }));
  assert.deepEqual(admin.UserMFASettingList, ['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);
  assert.equal(admin.MFAOptions, undefined, 'no phone number, so no legacy SMS option');
  assert.deepEqual(
    [self.UserMFASettingList, self.PreferredMfaSetting, self.MFAOptions],
    [admin.UserMFASettingList, admin.PreferredMfaSetting, admin.MFAOptions],
  );
});
