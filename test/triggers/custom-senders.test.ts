import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ConfirmForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetRiskConfigurationCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { FunctionTarget } from '../../src/config/schema.js';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import {
  FUNCTION_MODES,
  functionArn,
  moduleFunctions,
  serveFunctions,
  type FunctionMode,
  type FunctionServer,
} from '../support/functions.js';
import { PASSWORD, adminCreatedUser, attributesOf, confirmedUser, createClient, createPool } from '../api/users-fixtures.js';

// The custom email and SMS senders, with AWS's example handler: the code arrives encrypted (AWS
// Encryption SDK under the pool's KMS key) and the handler decrypts it with KmsKeyringNode, its KMS
// client pointed at Cognate (AWS_ENDPOINT_URL_KMS), then "sends" it: here, to a file the test reads.

const KEY_ARN = 'arn:aws:kms:us-east-1:000000000000:key/0d5c3f5e-1111-4222-8333-944455556666';
const outbox = mkdtempSync(join(tmpdir(), 'cognate-outbox-'));
// The handler files live in a temporary folder, so they import the SDK by its installed path.
const esdk = pathToFileURL(createRequire(import.meta.url).resolve('@aws-crypto/client-node')).href;

/** AWS's custom sender example (ESM), writing what it would send to `<outbox>/<name>.jsonl`. */
function senderSource(name: string): string {
  return `
import { appendFileSync } from 'node:fs';
import encryptionSdk from '${esdk}';
const { decrypt } = encryptionSdk.buildClient(encryptionSdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
const keyring = new encryptionSdk.KmsKeyringNode({ keyIds: ['${KEY_ARN}'] });
export const handler = async (event) => {
  let plainTextCode;
  if (event.request.code) {
    const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
    plainTextCode = plaintext.toString();
  }
  appendFileSync(${JSON.stringify(join(outbox, `${name}.jsonl`))}, JSON.stringify({ event, plainTextCode }) + '\\n');
  return;
};`;
}

const SENDERS = { module: 'sender-module', url: 'sender-url', lambdaEndpoint: 'sender-lambda' } as const satisfies Record<
  FunctionMode,
  string
>;
const handlers = moduleFunctions({
  ...Object.fromEntries(Object.values(SENDERS).map((name) => [name, senderSource(name)])),
  'sms-sender': senderSource('sms-sender'),
  'failing-sender': `export const handler = async () => { throw new Error('provider down'); };`,
});

interface Sent {
  event: { triggerSource: string; userName: string; callerContext: { clientId: string }; request: Record<string, unknown> };
  plainTextCode: string;
}

/** What a sender function sent so far, oldest first. */
function sent(name: string): Sent[] {
  const file = join(outbox, `${name}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Sent);
}

let functions: FunctionServer;
let server: TestServer;
const saved = { ...process.env };
before(async () => {
  functions = await serveFunctions(handlers);
  // One server reaches each copy of the sender in a different mode, so one KMS endpoint serves all.
  const targets = new Map<string, FunctionTarget>(functions.targets('module'));
  for (const mode of FUNCTION_MODES) targets.set(SENDERS[mode], functions.targets(mode).get(SENDERS[mode])!);
  server = await startTestServer({ functions: targets });
  // The function's environment on AWS: its region and role credentials; here an admin key pair of
  // this server, and the KMS endpoint. Module workers start later, and copy this environment.
  const credentials = await server.admin.config.credentials();
  process.env['AWS_ENDPOINT_URL_KMS'] = server.url;
  process.env['AWS_REGION'] = 'us-east-1';
  process.env['AWS_ACCESS_KEY_ID'] = credentials.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = credentials.secretAccessKey;
});
after(async () => {
  await server.stop();
  await functions.close();
  for (const name of ['AWS_ENDPOINT_URL_KMS', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function senderPool(
  lambdaConfig: LambdaConfigType,
  pool: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['email'],
    ...pool,
    LambdaConfig: { KMSKeyID: KEY_ARN, ...lambdaConfig },
  });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  return { poolId, clientId };
}

function emailSender(name: string): LambdaConfigType {
  return { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: functionArn(name) } };
}

function smsSender(name: string): LambdaConfigType {
  return { CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: functionArn(name) } };
}

/** The one message `name` sent to `userName` since `since` sends, with the source and the request type checked. */
function delivered(name: string, since: number, userName: string, triggerSource: string): Sent {
  const deliveries = sent(name)
    .slice(since)
    .filter((d) => d.event.userName === userName);
  assert.equal(deliveries.length, 1, `${name} was invoked once for ${userName}`);
  const [delivery] = deliveries as [Sent];
  assert.equal(delivery.event.triggerSource, triggerSource);
  const type = triggerSource.startsWith('CustomEmailSender_') ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1';
  assert.equal(delivery.event.request['type'], type);
  assert.doesNotMatch(String(delivery.event.request['code']), /^\d{6}$/, 'the event never carries the code in clear');
  assert.match(delivery.plainTextCode, /^\d{6}$/);
  return delivery;
}

function userAttributesOf(delivery: Sent): Record<string, string> {
  return delivery.event.request['userAttributes'] as Record<string, string>;
}

async function accessToken(clientId: string, username: string, password = PASSWORD): Promise<string> {
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  assert.ok(signedIn.AuthenticationResult?.AccessToken, `${username} signed in`);
  return signedIn.AuthenticationResult.AccessToken;
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: the custom email sender gets the encrypted code, decrypts it through Cognate's KMS, and it confirms the user`, async () => {
    const name = SENDERS[mode];
    const { poolId, clientId } = await senderPool(emailSender(name));
    const before = sent(name).length;
    const signedUp = await server.anonymous.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: `user-${mode}`,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `${mode}@example.com` }],
        ClientMetadata: { locale: 'fr' },
      }),
    );
    assert.equal(signedUp.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');

    const [delivery] = sent(name).slice(before);
    assert.ok(delivery, `${name} was invoked`);
    const { event, plainTextCode } = delivery;
    assert.equal(event.triggerSource, 'CustomEmailSender_SignUp');
    assert.equal(event.userName, `user-${mode}`);
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request['type'], 'customEmailSenderRequestV1');
    assert.deepEqual(event.request['clientMetadata'], { locale: 'fr' });
    assert.equal((event.request['userAttributes'] as Record<string, string>)['email'], `${mode}@example.com`);
    assert.doesNotMatch(String(event.request['code']), /^\d{6}$/, 'the event never carries the code in clear');
    assert.match(plainTextCode, /^\d{6}$/);
    // Cognito delivers nothing itself when a custom sender is configured.
    assert.equal(await server.lastMessage(poolId, `user-${mode}`), undefined);

    await server.anonymous.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: `user-${mode}`, ConfirmationCode: plainTextCode }),
    );
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `user-${mode}` }));
    assert.equal(user.UserStatus, 'CONFIRMED');
  });
}

test('forgot password and the invitation go to the sender with their own sources; SMS goes to the SMS sender', async () => {
  const { poolId, clientId } = await senderPool({
    ...emailSender('sender-module'),
    CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: functionArn('sms-sender') },
  });
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'invited',
      TemporaryPassword: 'Temporary-Pass-1',
      DesiredDeliveryMediums: ['EMAIL', 'SMS'],
      UserAttributes: [
        { Name: 'email', Value: 'invited@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'phone_number', Value: '+15555550100' },
      ],
    }),
  );
  const invitation = sent('sender-module').at(-1)!;
  assert.equal(invitation.event.triggerSource, 'CustomEmailSender_AdminCreateUser');
  assert.equal(invitation.event.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
  assert.equal(invitation.plainTextCode, 'Temporary-Pass-1');
  const sms = sent('sms-sender').at(-1)!;
  assert.equal(sms.event.triggerSource, 'CustomSMSSender_AdminCreateUser');
  assert.equal(sms.event.request['type'], 'customSMSSenderRequestV1');
  assert.equal(sms.plainTextCode, 'Temporary-Pass-1');

  // The temporary password the sender decrypted is the one that signs in.
  const invited = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'invited', PASSWORD: invitation.plainTextCode },
    }),
  );
  assert.equal(invited.ChallengeName, 'NEW_PASSWORD_REQUIRED');

  await confirmedUser(server, poolId, 'forgetful');
  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'forgetful' }));
  const reset = sent('sender-module').at(-1)!;
  assert.equal(reset.event.triggerSource, 'CustomEmailSender_ForgotPassword');
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: clientId,
      Username: 'forgetful',
      ConfirmationCode: reset.plainTextCode,
      Password: 'New-Password-42',
    }),
  );
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'forgetful', PASSWORD: 'New-Password-42' },
    }),
  );
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
});

test('ResendConfirmationCode sends CustomEmailSender_ResendCode, and the resent code confirms the user', async () => {
  const { poolId, clientId } = await senderPool(emailSender('sender-module'));
  await server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: 'resend-email',
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'resend@example.com' }],
    }),
  );
  const since = sent('sender-module').length;
  const resent = await server.anonymous.send(
    new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'resend-email', ClientMetadata: { reason: 'lost' } }),
  );
  assert.equal(resent.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
  const delivery = delivered('sender-module', since, 'resend-email', 'CustomEmailSender_ResendCode');
  assert.equal(delivery.event.callerContext.clientId, clientId);
  assert.deepEqual(delivery.event.request['clientMetadata'], { reason: 'lost' });
  assert.equal(userAttributesOf(delivery)['email'], 'resend@example.com');
  assert.equal(userAttributesOf(delivery)['cognito:user_status'], 'UNCONFIRMED');

  await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: clientId, Username: 'resend-email', ConfirmationCode: delivery.plainTextCode }),
  );
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'resend-email' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
});

/** A pool that verifies phone numbers and sends its SMS through `sms-sender`. */
function smsPool(): Promise<{ poolId: string; clientId: string }> {
  return senderPool(smsSender('sms-sender'), { AutoVerifiedAttributes: ['phone_number'] });
}

test('SignUp with a phone number sends CustomSMSSender_SignUp, a resend CustomSMSSender_ResendCode, and the resent code confirms', async () => {
  const { poolId, clientId } = await smsPool();
  let since = sent('sms-sender').length;
  const signedUp = await server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: 'texter',
      Password: PASSWORD,
      UserAttributes: [{ Name: 'phone_number', Value: '+15555550111' }],
      ClientMetadata: { channel: 'sms' },
    }),
  );
  assert.equal(signedUp.CodeDeliveryDetails?.DeliveryMedium, 'SMS');
  assert.equal(signedUp.CodeDeliveryDetails?.AttributeName, 'phone_number');
  const signUp = delivered('sms-sender', since, 'texter', 'CustomSMSSender_SignUp');
  assert.equal(signUp.event.callerContext.clientId, clientId);
  assert.deepEqual(signUp.event.request['clientMetadata'], { channel: 'sms' });
  assert.equal(userAttributesOf(signUp)['phone_number'], '+15555550111');
  assert.equal(userAttributesOf(signUp)['cognito:user_status'], 'UNCONFIRMED');
  assert.equal(await server.lastMessage(poolId, 'texter'), undefined, 'Cognito sends no SMS itself');

  since = sent('sms-sender').length;
  await server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'texter' }));
  const resend = delivered('sms-sender', since, 'texter', 'CustomSMSSender_ResendCode');
  assert.equal(userAttributesOf(resend)['phone_number'], '+15555550111');
  // The resent code replaced the first one (unless, one time in a million, they are the same).
  if (signUp.plainTextCode !== resend.plainTextCode) {
    const stale = await captureError(() =>
      server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'texter', ConfirmationCode: signUp.plainTextCode })),
    );
    assert.equal(stale.name, 'CodeMismatchException');
  }
  await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'texter', ConfirmationCode: resend.plainTextCode }));
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'texter' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal(attributesOf(user.UserAttributes)['phone_number_verified'], 'true');
});

test('ForgotPassword to a verified phone sends CustomSMSSender_ForgotPassword, and its code resets the password', async () => {
  const { poolId, clientId } = await smsPool();
  await adminCreatedUser(server, poolId, 'sms-forgetful', { phone_number: '+15555550122', phone_number_verified: 'true' });
  const since = sent('sms-sender').length;
  const forgot = await server.anonymous.send(
    new ForgotPasswordCommand({ ClientId: clientId, Username: 'sms-forgetful', ClientMetadata: { via: 'app' } }),
  );
  assert.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'SMS');
  const reset = delivered('sms-sender', since, 'sms-forgetful', 'CustomSMSSender_ForgotPassword');
  assert.equal(reset.event.callerContext.clientId, clientId);
  assert.deepEqual(reset.event.request['clientMetadata'], { via: 'app' });
  assert.equal(userAttributesOf(reset)['phone_number'], '+15555550122');
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: clientId,
      Username: 'sms-forgetful',
      ConfirmationCode: reset.plainTextCode,
      Password: 'New-Password-42',
    }),
  );
  assert.ok(await accessToken(clientId, 'sms-forgetful', 'New-Password-42'));
});

/** Changing a verifiable attribute, then asking for its code again, once per medium. */
const ATTRIBUTE_CHANGES = [
  {
    attribute: 'email',
    medium: 'EMAIL',
    sender: 'sender-module',
    update: 'CustomEmailSender_UpdateUserAttribute',
    verify: 'CustomEmailSender_VerifyUserAttribute',
    pool: () => senderPool(emailSender('sender-module')),
    from: 'mover@example.com',
    to: 'moved@example.com',
  },
  {
    attribute: 'phone_number',
    medium: 'SMS',
    sender: 'sms-sender',
    update: 'CustomSMSSender_UpdateUserAttribute',
    verify: 'CustomSMSSender_VerifyUserAttribute',
    pool: smsPool,
    from: '+15555550133',
    to: '+15555550144',
  },
] as const;

for (const change of ATTRIBUTE_CHANGES) {
  const { attribute, sender } = change;
  const flag = `${attribute}_verified`;
  test(`a changed ${attribute} gets ${change.update}, a requested code ${change.verify}; both codes verify it`, async () => {
    const { poolId, clientId } = await change.pool();
    const username = `mover-${change.medium}`;
    await adminCreatedUser(server, poolId, username, { [attribute]: change.from, [flag]: 'true' });
    const AccessToken = await accessToken(clientId, username);
    const verified = async (): Promise<string | undefined> =>
      attributesOf((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes)[flag];

    let since = sent(sender).length;
    const updated = await server.anonymous.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: attribute, Value: change.to }],
        ClientMetadata: { step: 'update' },
      }),
    );
    assert.equal(updated.CodeDeliveryDetailsList?.[0]?.DeliveryMedium, change.medium);
    const update = delivered(sender, since, username, change.update);
    assert.equal(update.event.callerContext.clientId, clientId);
    assert.deepEqual(update.event.request['clientMetadata'], { step: 'update' });
    assert.equal(userAttributesOf(update)[attribute], change.to);
    assert.equal(userAttributesOf(update)[flag], 'false');
    await server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: attribute, Code: update.plainTextCode }));
    assert.equal(await verified(), 'true');

    since = sent(sender).length;
    const requested = await server.anonymous.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: attribute, ClientMetadata: { step: 'verify' } }),
    );
    assert.equal(requested.CodeDeliveryDetails?.DeliveryMedium, change.medium);
    const verify = delivered(sender, since, username, change.verify);
    assert.equal(verify.event.callerContext.clientId, clientId);
    assert.deepEqual(verify.event.request['clientMetadata'], { step: 'verify' });
    assert.equal(userAttributesOf(verify)[attribute], change.to);
    await server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: attribute, Code: verify.plainTextCode }));
    assert.equal(await verified(), 'true');
    assert.equal(await server.lastMessage(poolId, username), undefined, 'Cognito delivers nothing itself');
  });
}

test('the admin API sends through the senders too: AdminUpdateUserAttributes and AdminResetUserPassword, with no app client', async () => {
  const { poolId, clientId } = await senderPool(emailSender('sender-module'));
  await confirmedUser(server, poolId, 'managed');

  let since = sent('sender-module').length;
  await server.admin.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId,
      Username: 'managed',
      UserAttributes: [{ Name: 'email', Value: 'managed-new@example.com' }],
      ClientMetadata: { by: 'admin' },
    }),
  );
  const update = delivered('sender-module', since, 'managed', 'CustomEmailSender_UpdateUserAttribute');
  assert.equal(update.event.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
  assert.deepEqual(update.event.request['clientMetadata'], { by: 'admin' });
  assert.equal(userAttributesOf(update)['email'], 'managed-new@example.com');
  const AccessToken = await accessToken(clientId, 'managed');
  await server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: update.plainTextCode }));

  since = sent('sender-module').length;
  await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'managed' }));
  const reset = delivered('sender-module', since, 'managed', 'CustomEmailSender_ForgotPassword');
  assert.equal(reset.event.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
  assert.equal(userAttributesOf(reset)['email'], 'managed-new@example.com', 'the verified new address');
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: clientId,
      Username: 'managed',
      ConfirmationCode: reset.plainTextCode,
      Password: 'New-Password-42',
    }),
  );
  assert.ok(await accessToken(clientId, 'managed', 'New-Password-42'));
});

/** A pool with both senders whose MFA is OPTIONAL with SMS and email codes, and passwordless EMAIL_OTP sign-in. */
async function mfaSenderPool(): Promise<{ poolId: string; clientId: string }> {
  const { poolId } = await senderPool(
    { ...emailSender('sender-module'), ...smsSender('sms-sender') },
    {
      AutoVerifiedAttributes: [],
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com',
      },
      SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms', ExternalId: 'cognate-tests' },
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    },
  );
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: {
        SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms', ExternalId: 'cognate-tests' },
      },
      EmailMfaConfiguration: { Message: 'Sign in with {####}', Subject: 'Your code' },
    }),
  );
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH'] });
  return { poolId, clientId };
}

const MFA_CODES = [
  { factor: 'EMAIL_OTP', sender: 'sender-module', source: 'CustomEmailSender_Authentication', answer: 'EMAIL_OTP_CODE' },
  { factor: 'SMS_MFA', sender: 'sms-sender', source: 'CustomSMSSender_Authentication', answer: 'SMS_MFA_CODE' },
] as const;

for (const mfa of MFA_CODES) {
  test(`an ${mfa.factor} code after the password goes to ${mfa.source}, and the decrypted code answers the challenge`, async () => {
    const { poolId, clientId } = await mfaSenderPool();
    const username = `mfa-${mfa.factor}`;
    await adminCreatedUser(server, poolId, username, {
      email: `${username}@example.com`,
      email_verified: 'true',
      phone_number: '+15555550177',
      phone_number_verified: 'true',
    });
    await server.admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        ...(mfa.factor === 'EMAIL_OTP' ? { EmailMfaSettings: { Enabled: true } } : { SMSMfaSettings: { Enabled: true } }),
      }),
    );
    const since = sent(mfa.sender).length;
    const challenge = await server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
        ClientMetadata: { step: 'mfa' },
      }),
    );
    assert.equal(challenge.ChallengeName, mfa.factor);
    const delivery = delivered(mfa.sender, since, username, mfa.source);
    assert.equal(delivery.event.callerContext.clientId, clientId);
    // InitiateAuth's ClientMetadata reaches only pre sign-up, pre authentication and user migration.
    assert.equal(delivery.event.request['clientMetadata'], undefined);
    assert.equal(await server.lastMessage(poolId, username, 'mfa'), undefined, 'Cognito delivers nothing itself');
    const out = await server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: mfa.factor,
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, [mfa.answer]: delivery.plainTextCode },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken, 'the decrypted code signs in');
  });
}

test('a passwordless EMAIL_OTP code goes to CustomEmailSender_Authentication, and the decrypted code signs in', async () => {
  const { poolId, clientId } = await mfaSenderPool();
  await adminCreatedUser(server, poolId, 'otp-first', { email: 'otp-first@example.com', email_verified: 'true' });
  const since = sent('sender-module').length;
  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: 'otp-first', PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    }),
  );
  assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
  const delivery = delivered('sender-module', since, 'otp-first', 'CustomEmailSender_Authentication');
  assert.equal(delivery.event.callerContext.clientId, clientId);
  assert.equal(userAttributesOf(delivery)['email'], 'otp-first@example.com');
  const out = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'EMAIL_OTP',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: 'otp-first', EMAIL_OTP_CODE: delivery.plainTextCode },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken, 'the decrypted code signs in');
});

test('a risk notification goes to the custom email sender as CustomEmailSender_AccountTakeOverNotification, with no code', async () => {
  const { poolId } = await senderPool(emailSender('sender-module'), { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  const { clientId } = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
  });
  await server.admin.send(
    new SetRiskConfigurationCommand({
      UserPoolId: poolId,
      AccountTakeoverRiskConfiguration: {
        NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/security@example.com' },
        Actions: { LowAction: { EventAction: 'NO_ACTION', Notify: true } },
      },
    }),
  );
  await confirmedUser(server, poolId, 'watched');
  // The first sign-in comes from 127.0.0.1; the second from a new address through a forwarding
  // back end (AdminInitiateAuth's ContextData), which is Low risk.
  await accessToken(clientId, 'watched');
  const since = sent('sender-module').length;
  const signedIn = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'watched', PASSWORD },
      ContextData: { IpAddress: '198.51.100.20', ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [] },
    }),
  );
  assert.ok(signedIn.AuthenticationResult?.AccessToken);
  const deliveries = sent('sender-module')
    .slice(since)
    .filter((d) => d.event.userName === 'watched');
  assert.equal(deliveries.length, 1, 'the sender was invoked once');
  const { event } = deliveries[0]!;
  assert.equal(event.triggerSource, 'CustomEmailSender_AccountTakeOverNotification');
  assert.equal(event.callerContext.clientId, clientId);
  assert.equal(event.request['type'], 'customEmailSenderRequestV1');
  assert.equal(event.request['code'], null);
  const attributes = userAttributesOf(deliveries[0]!);
  const { EVENT_ID, FEEDBACK_TOKEN, ONE_CLICK_LINK_VALID, ONE_CLICK_LINK_INVALID, LOGIN_TIME, ...rest } = attributes;
  assert.deepEqual(rest, { USER_NAME: 'watched', IP_ADDRESS: '198.51.100.20', ACCOUNT_TAKE_OVER_ACTION: 'NO_ACTION' });
  assert.ok(LOGIN_TIME && !Number.isNaN(Date.parse(LOGIN_TIME)), 'LOGIN_TIME is a date');
  assert.equal(new URL(ONE_CLICK_LINK_VALID!).searchParams.get('feedback_value'), 'valid');
  assert.equal(new URL(ONE_CLICK_LINK_INVALID!).searchParams.get('feedback_token'), FEEDBACK_TOKEN);
  assert.equal(await server.lastMessage(poolId, 'watched', 'account-takeover'), undefined, 'Cognito sends no email itself');

  // The event's ID and token are UpdateAuthEventFeedback's.
  await server.anonymous.send(
    new UpdateAuthEventFeedbackCommand({
      UserPoolId: poolId,
      Username: 'watched',
      EventId: EVENT_ID,
      FeedbackToken: FEEDBACK_TOKEN,
      FeedbackValue: 'Valid',
    }),
  );
  const events = await server.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'watched' }));
  const judged = events.AuthEvents?.find((e) => e.EventId === EVENT_ID);
  assert.equal(judged?.EventFeedback?.FeedbackValue, 'Valid');
});

test('a failing sender does not fail the call, as Cognito invokes senders asynchronously', async () => {
  const { poolId, clientId } = await senderPool(emailSender('failing-sender'));
  const signedUp = await server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: 'unlucky',
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'u@example.com' }],
    }),
  );
  assert.equal(signedUp.UserConfirmed, false);
  const [logged] = await server.services.invocations.list(poolId);
  assert.equal(logged?.triggerSource, 'CustomEmailSender_SignUp');
  assert.notEqual(logged?.outcome, 'ok');
});

test("Cognate's KMS decrypts only the data keys it made, for a signed caller", async () => {
  const credentials = await server.admin.config.credentials();
  const kms = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const forged = await captureError(() => kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a data key') })));
  assert.equal(forged.name, 'InvalidCiphertextException');
  assert.equal(forged.$metadata?.httpStatusCode, 400);

  const stranger = new KMSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'unknown-secret' },
    maxAttempts: 1,
  });
  const unsigned = await captureError(() => stranger.send(new DecryptCommand({ CiphertextBlob: Buffer.from('x') })));
  assert.equal(unsigned.name, 'UnrecognizedClientException');
  kms.destroy();
  stranger.destroy();
});

test('KMS Decrypt is an admin call: a browser page of another site cannot make it', async () => {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Decrypt', origin: 'https://elsewhere.example' },
    body: JSON.stringify({ CiphertextBlob: Buffer.from('x').toString('base64') }),
  });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  assert.equal(((await response.json()) as { __type: string }).__type, 'NotAuthorizedException');
});
