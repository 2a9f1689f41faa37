import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { verifyPassword } from '../../src/crypto/password-hash.js';
import { PASSWORD, codeFor, createClient, createPool, signUpConfirmed, storedUser, type TestClient } from './users-fixtures.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = FrozenClock.atNow();
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOUR = 3_600_000;

function signUp(
  client: TestClient,
  input: Partial<SignUpCommandInput> & { Username: string },
): Promise<{ UserSub?: string; UserConfirmed?: boolean; CodeDeliveryDetails?: unknown }> {
  return server.anonymous.send(
    new SignUpCommand({ ClientId: client.clientId, SecretHash: client.hash(input.Username), Password: PASSWORD, ...input }),
  );
}

async function emailPool(input: Parameters<typeof createPool>[1] = {}): Promise<{ poolId: string; client: TestClient }> {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], ...input });
  return { poolId, client: await createClient(server, poolId) };
}

// ---------------------------------------------------------------- SignUp

test('SignUp creates an UNCONFIRMED user and sends the code to the auto-verified email', async () => {
  const { poolId, client } = await emailPool();
  const response = await signUp(client, { Username: 'alice', UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }] });
  assert.equal(response.UserConfirmed, false);
  assert.match(response.UserSub!, UUID);
  assert.deepEqual(response.CodeDeliveryDetails, { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

  const user = await storedUser(server, poolId, 'alice');
  assert.equal(user.status, 'UNCONFIRMED');
  assert.equal(user.sub, response.UserSub);
  assert.deepEqual(user.attributes, { sub: response.UserSub, email: 'alice@example.com' });
  assert.ok(await verifyPassword(user.passwordHash!, PASSWORD));
  const message = await server.lastMessage(poolId, 'alice', 'signup');
  assert.equal(message?.destination, 'alice@example.com');
  assert.equal(message?.medium, 'EMAIL');
  assert.match(message!.code!, /^\d{6}$/);
});

test('SignUp without auto-verified attributes sends nothing and has no CodeDeliveryDetails', async () => {
  const poolId = await createPool(server);
  const client = await createClient(server, poolId);
  const response = await signUp(client, { Username: 'bob', UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }] });
  assert.equal(response.UserConfirmed, false);
  assert.equal(response.CodeDeliveryDetails, undefined);
  assert.equal(await server.lastMessage(poolId, 'bob'), undefined);
});

test('SignUp sends to the phone when both email and phone are auto-verified', async () => {
  const { poolId, client } = await emailPool({ AutoVerifiedAttributes: ['email', 'phone_number'] });
  const response = await signUp(client, {
    Username: 'carol',
    UserAttributes: [
      { Name: 'email', Value: 'carol@example.com' },
      { Name: 'phone_number', Value: '+15555550123' },
    ],
  });
  assert.deepEqual(response.CodeDeliveryDetails, { Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  assert.equal((await server.lastMessage(poolId, 'carol', 'signup'))?.medium, 'SMS');
});

test('an existing username is UsernameExistsException "User already exists"', async () => {
  const { client } = await emailPool();
  await signUp(client, { Username: 'dave', UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }] });
  const error = await captureError(() => signUp(client, { Username: 'dave', UserAttributes: [{ Name: 'email', Value: 'x@example.com' }] }));
  assert.equal(error.name, 'UsernameExistsException');
  assert.equal(error.message, 'User already exists');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test('in email-as-username pools the internal username is the sub and the email is unique', async () => {
  const { poolId, client } = await emailPool({ UsernameAttributes: ['email'] });
  const response = await signUp(client, { Username: 'Erin@Example.com' });
  const user = await storedUser(server, poolId, 'Erin@Example.com');
  assert.equal(user.username, response.UserSub);
  assert.equal(user.attributes['email'], 'Erin@Example.com');
  assert.equal((await server.lastMessage(poolId, user.username, 'signup'))?.destination, 'Erin@Example.com');

  const taken = await captureError(() => signUp(client, { Username: 'erin@example.com' }));
  assert.equal(taken.name, 'UsernameExistsException');
  assert.equal(taken.message, 'An account with the given email already exists.');

  const notEmail = await captureError(() => signUp(client, { Username: 'erin' }));
  assert.equal(notEmail.name, 'InvalidParameterException');
  assert.equal(notEmail.message, 'Username should be an email.');
});

test('in phone-as-username pools an existing phone number is refused by name', async () => {
  const { client } = await emailPool({ UsernameAttributes: ['email', 'phone_number'], AutoVerifiedAttributes: ['phone_number'] });
  const response = await signUp(client, { Username: '+15555550100' });
  assert.deepEqual(response.CodeDeliveryDetails, { Destination: '+*******0100', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  const taken = await captureError(() => signUp(client, { Username: '+15555550100' }));
  assert.equal(taken.message, 'An account with the given phone_number already exists.');
  const neither = await captureError(() => signUp(client, { Username: 'frank' }));
  assert.equal(neither.message, 'Username should be either an email or a phone number.');
});

test('in email-alias pools the username may not look like an email', async () => {
  const { client } = await emailPool({ AliasAttributes: ['email'] });
  const error = await captureError(() => signUp(client, { Username: 'gina@example.com' }));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'Username cannot be of email format, since user pool is configured for email alias.');
});

test('SignUp checks the SecretHash of a client with a secret', async () => {
  const { poolId } = await emailPool();
  const client = await createClient(server, poolId, { GenerateSecret: true });
  const message = `Unable to verify secret hash for client ${client.clientId}`;

  const missing = await captureError(() =>
    server.anonymous.send(new SignUpCommand({ ClientId: client.clientId, Username: 'hank', Password: PASSWORD })),
  );
  assert.equal(missing.name, 'NotAuthorizedException');
  assert.equal(missing.message, message);
  assert.equal(missing.$metadata?.httpStatusCode, 400);

  const wrong = await captureError(() =>
    server.anonymous.send(
      new SignUpCommand({ ClientId: client.clientId, SecretHash: client.hash('other'), Username: 'hank', Password: PASSWORD }),
    ),
  );
  assert.equal(wrong.message, message);

  const ok = await signUp(client, { Username: 'hank', UserAttributes: [{ Name: 'email', Value: 'hank@example.com' }] });
  assert.match(ok.UserSub!, UUID);
});

test('an unknown client is ResourceNotFoundException', async () => {
  const error = await captureError(() =>
    server.anonymous.send(new SignUpCommand({ ClientId: 'nosuchclient0000000000000', Username: 'x', Password: PASSWORD })),
  );
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'User pool client nosuchclient0000000000000 does not exist.');
});

test('SignUp without a password answers the validation text Amplify matches on', async () => {
  const { client } = await emailPool();
  const error = await captureError(() => server.anonymous.send(new SignUpCommand({ ClientId: client.clientId, Username: 'ivy' })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null");
});

test('SignUp applies the password policy with SignUp wording', async () => {
  const { client } = await emailPool();
  const error = await captureError(() => signUp(client, { Username: 'jack', Password: 'Ab1!' }));
  assert.equal(error.name, 'InvalidPasswordException');
  assert.equal(error.message, 'Password did not conform with policy: Password not long enough');
});

test('SignUp refuses missing required attributes and attributes the client may not write', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], Schema: [{ Name: 'email', Required: true }] });
  const client = await createClient(server, poolId);
  const missing = await captureError(() => signUp(client, { Username: 'kim' }));
  assert.equal(missing.name, 'InvalidParameterException');
  assert.equal(missing.message, 'Attributes did not conform to the schema: email: The attribute is required\n');

  const verifiedFlag = await captureError(() =>
    signUp(client, {
      Username: 'kim',
      UserAttributes: [
        { Name: 'email', Value: 'kim@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  assert.equal(verifiedFlag.name, 'NotAuthorizedException');
  assert.equal(verifiedFlag.message, 'A client attempted to write unauthorized attribute');

  const narrow = await createClient(server, poolId, { WriteAttributes: ['email'] });
  const name = await captureError(() =>
    signUp(narrow, {
      Username: 'kim',
      UserAttributes: [
        { Name: 'email', Value: 'kim@example.com' },
        { Name: 'name', Value: 'Kim' },
      ],
    }),
  );
  assert.equal(name.message, 'A client attempted to write unauthorized attribute');

  const unknown = await captureError(() =>
    signUp(client, {
      Username: 'kim',
      UserAttributes: [
        { Name: 'email', Value: 'kim@example.com' },
        { Name: 'custom:nope', Value: 'x' },
      ],
    }),
  );
  assert.equal(unknown.message, 'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined');
});

test('SignUp is refused in pools where only admins create users', async () => {
  const { client } = await emailPool({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  const error = await captureError(() => signUp(client, { Username: 'lee' }));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'SignUp is not permitted for this user pool');
});

// ---------------------------------------------------------------- ConfirmSignUp

test('ConfirmSignUp confirms the user and verifies the attribute the code went to', async () => {
  const { poolId, client } = await emailPool();
  await signUp(client, { Username: 'mia', UserAttributes: [{ Name: 'email', Value: 'mia@example.com' }] });
  const code = await codeFor(server, poolId, 'mia', 'signup');
  const response = await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'mia', ConfirmationCode: code }),
  );
  assert.equal(response.Session, undefined);
  const user = await storedUser(server, poolId, 'mia');
  assert.equal(user.status, 'CONFIRMED');
  assert.equal(user.attributes['email_verified'], 'true');

  // The code is single use, and a confirmed user is refused before any code is looked at.
  for (const again of [code, '000000']) {
    const error = await captureError(() =>
      server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'mia', ConfirmationCode: again })),
    );
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, 'User cannot be confirmed. Current status is CONFIRMED');
  }
});

test('ConfirmSignUp by email in an email-as-username pool', async () => {
  const { poolId, client } = await emailPool({ UsernameAttributes: ['email'] });
  const { UserSub } = await signUp(client, { Username: 'nora@example.com' });
  const code = await codeFor(server, poolId, UserSub!, 'signup');
  await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'nora@example.com', ConfirmationCode: code }),
  );
  assert.equal((await storedUser(server, poolId, UserSub!)).status, 'CONFIRMED');
});

test('a sign-up code lives 24 hours to the millisecond: good an hour and a half later, expired at its end', async () => {
  const { poolId, client } = await emailPool();
  const codeOf = async (Username: string) => {
    await signUp(client, { Username, UserAttributes: [{ Name: 'email', Value: `${Username}@example.com` }] });
    return codeFor(server, poolId, Username, 'signup');
  };
  const confirm = (Username: string, ConfirmationCode: string) =>
    server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username, ConfirmationCode }));
  // Longer than a reset code's hour and an MFA code's three minutes.
  const later = await codeOf('lena');
  await clock.travel(HOUR * 1.5, () => confirm('lena', later));
  assert.equal((await storedUser(server, poolId, 'lena')).status, 'CONFIRMED');
  const atTheEnd = await codeOf('liam');
  const expired = await clock.travel(24 * HOUR, () => captureError(() => confirm('liam', atTheEnd)));
  assert.equal(expired.name, 'ExpiredCodeException');
  const justBefore = await codeOf('lola');
  await clock.travel(24 * HOUR - 1, () => confirm('lola', justBefore));
  assert.equal((await storedUser(server, poolId, 'lola')).status, 'CONFIRMED');
});

test('ConfirmSignUp: wrong, expired and over-tried codes', async () => {
  const { poolId, client } = await emailPool();
  await signUp(client, { Username: 'otto', UserAttributes: [{ Name: 'email', Value: 'otto@example.com' }] });
  const code = await codeFor(server, poolId, 'otto', 'signup');
  const confirm = (ConfirmationCode: string) =>
    server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'otto', ConfirmationCode }));
  const wrongCode = code === '111111' ? '222222' : '111111';

  const wrong = await captureError(() => confirm(wrongCode));
  assert.equal(wrong.name, 'CodeMismatchException');
  assert.equal(wrong.message, 'Invalid verification code provided, please try again.');

  const expired = await clock.travel(24 * HOUR + 1000, () => captureError(() => confirm(code)));
  assert.equal(expired.name, 'ExpiredCodeException');
  assert.equal(expired.message, 'Invalid code provided, please request a code again.');

  // A new code; five wrong guesses burn it.
  await server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: client.clientId, Username: 'otto' }));
  const fresh = await codeFor(server, poolId, 'otto', 'signup');
  const guess = fresh === '111111' ? '222222' : '111111';
  for (let i = 0; i < 4; i++) assert.equal((await captureError(() => confirm(guess))).name, 'CodeMismatchException');
  const limited = await captureError(() => confirm(guess));
  assert.equal(limited.name, 'CodeMismatchException');
  const burnt = await captureError(() => confirm(fresh));
  assert.equal(burnt.name, 'LimitExceededException');
  assert.equal(burnt.message, 'Attempt limit exceeded, please try after some time.');
});

test('ConfirmSignUp for an unknown user: UserNotFoundException, or a code mismatch when existence is hidden', async () => {
  const { poolId, client } = await emailPool();
  const error = await captureError(() =>
    server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'nobody', ConfirmationCode: '123456' })),
  );
  assert.equal(error.name, 'UserNotFoundException');
  assert.equal(error.message, 'Username/client id combination not found.');
  assert.equal(error.$metadata?.httpStatusCode, 400);

  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  const hidden = await captureError(() =>
    server.anonymous.send(new ConfirmSignUpCommand({ ClientId: hiding.clientId, Username: 'nobody', ConfirmationCode: '123456' })),
  );
  assert.equal(hidden.name, 'CodeMismatchException');
});

test('ConfirmSignUp of an email alias another user holds: AliasExistsException unless ForceAliasCreation', async () => {
  const { poolId, client } = await emailPool({ AliasAttributes: ['email'] });
  const first = await signUpConfirmed(server, poolId, client, 'pat', { email: 'shared@example.com' });
  assert.equal(first.attributes['email_verified'], 'true');

  // SignUp itself does not reveal that the email is taken.
  await signUp(client, { Username: 'quinn', UserAttributes: [{ Name: 'email', Value: 'shared@example.com' }] });
  const code = await codeFor(server, poolId, 'quinn', 'signup');
  const confirm = (ForceAliasCreation?: boolean) =>
    server.anonymous.send(
      new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'quinn', ConfirmationCode: code, ForceAliasCreation }),
    );
  const error = await captureError(() => confirm());
  assert.equal(error.name, 'AliasExistsException');
  assert.equal(error.message, 'An account with the given email already exists.');
  assert.equal((await storedUser(server, poolId, 'quinn')).status, 'UNCONFIRMED');

  // The failed attempt used the code; a new one with ForceAliasCreation moves the alias.
  await server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: client.clientId, Username: 'quinn' }));
  const again = await codeFor(server, poolId, 'quinn', 'signup');
  await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'quinn', ConfirmationCode: again, ForceAliasCreation: true }),
  );
  assert.equal((await storedUser(server, poolId, 'quinn')).attributes['email_verified'], 'true');
  assert.equal((await storedUser(server, poolId, 'pat')).attributes['email_verified'], 'false');
  assert.equal((await storedUser(server, poolId, 'shared@example.com')).username, 'quinn');
});

// ---------------------------------------------------------------- ResendConfirmationCode

test('ResendConfirmationCode replaces the code, refuses confirmed users and is rate limited', async () => {
  const { poolId, client } = await emailPool();
  await signUp(client, { Username: 'rae', UserAttributes: [{ Name: 'email', Value: 'rae@example.com' }] });
  const resend = () => server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: client.clientId, Username: 'rae' }));

  const response = await resend();
  assert.deepEqual(response.CodeDeliveryDetails, { Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  // SignUp sent one code; four more fit in the hour, the fifth resend does not.
  for (let i = 0; i < 3; i++) await resend();
  const limited = await captureError(resend);
  assert.equal(limited.name, 'LimitExceededException');
  assert.equal(limited.message, 'Attempt limit exceeded, please try after some time.');

  const code = await codeFor(server, poolId, 'rae', 'signup');
  await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: 'rae', ConfirmationCode: code }));
  const confirmed = await clock.travel(HOUR, () => captureError(resend));
  assert.equal(confirmed.name, 'InvalidParameterException');
  assert.equal(confirmed.message, 'User is already confirmed.');
});

test('ResendConfirmationCode: unknown users, hidden existence and pools without auto verification', async () => {
  const { poolId, client } = await emailPool();
  const unknown = await captureError(() =>
    server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: client.clientId, Username: 'ghost' })),
  );
  assert.equal(unknown.name, 'UserNotFoundException');
  assert.equal(unknown.message, 'Username/client id combination not found.');

  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  const simulated = await server.anonymous.send(
    new ResendConfirmationCodeCommand({ ClientId: hiding.clientId, Username: 'ghost@example.com' }),
  );
  assert.deepEqual(simulated.CodeDeliveryDetails, { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  assert.equal(await server.lastMessage(poolId, 'ghost@example.com'), undefined);

  const plainPool = await createPool(server);
  const plain = await createClient(server, plainPool);
  await signUp(plain, { Username: 'sam', UserAttributes: [{ Name: 'email', Value: 'sam@example.com' }] });
  const off = await captureError(() =>
    server.anonymous.send(new ResendConfirmationCodeCommand({ ClientId: plain.clientId, Username: 'sam' })),
  );
  assert.equal(off.name, 'InvalidParameterException');
  assert.equal(off.message, 'Cannot resend codes. Auto verification not turned on.');
});

// ---------------------------------------------------------------- ForgotPassword / ConfirmForgotPassword

test('ForgotPassword sends a reset code to the verified email', async () => {
  const { poolId, client } = await emailPool();
  await signUpConfirmed(server, poolId, client, 'tess', { email: 'tess@example.com' });
  const response = await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: 'tess' }));
  assert.deepEqual(response.CodeDeliveryDetails, { Destination: 't***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  const message = await server.lastMessage(poolId, 'tess', 'forgot-password');
  assert.equal(message?.destination, 'tess@example.com');
});

test('ForgotPassword needs a verified destination; unknown and disabled users', async () => {
  const { poolId, client } = await emailPool();
  await signUp(client, { Username: 'uma', UserAttributes: [{ Name: 'email', Value: 'uma@example.com' }] });
  const forgot = (Username: string, clientId = client.clientId) =>
    server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username }));

  const unverified = await captureError(() => forgot('uma'));
  assert.equal(unverified.name, 'InvalidParameterException');
  assert.equal(unverified.message, 'Cannot reset password for the user as there is no registered/verified email or phone_number');

  const unknown = await captureError(() => forgot('nobody'));
  assert.equal(unknown.name, 'UserNotFoundException');
  assert.equal(unknown.message, 'Username/client id combination not found.');

  const disabledUser = await signUpConfirmed(server, poolId, client, 'vic', { email: 'vic@example.com' });
  await server.services.store.users.update({ ...disabledUser, enabled: false });
  const disabled = await captureError(() => forgot('vic'));
  assert.equal(disabled.name, 'NotAuthorizedException');
  assert.equal(disabled.message, 'User is disabled.');

  // A client hiding user existence answers all three with a simulated delivery and sends nothing.
  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  for (const name of ['uma', 'nobody', 'vic']) {
    const response = await forgot(name, hiding.clientId);
    assert.equal(response.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(response.CodeDeliveryDetails?.AttributeName, 'email');
  }
  assert.equal(await server.lastMessage(poolId, 'uma', 'forgot-password'), undefined);
  assert.equal(await server.lastMessage(poolId, 'vic', 'forgot-password'), undefined);
});

test('ForgotPassword picks the destination by AccountRecoverySetting, else phone first', async () => {
  const attributes = { email: 'wes@example.com', phone_number: '+15555550199' };
  const legacy = await emailPool({ AutoVerifiedAttributes: ['email', 'phone_number'] });
  const user = await signUpConfirmed(server, legacy.poolId, legacy.client, 'wes', attributes);
  // Confirmation verified the phone; verify the email too, as GetUserAttributeVerificationCode would.
  await server.services.store.users.update({ ...user, attributes: { ...user.attributes, email_verified: 'true' } });
  const viaLegacy = await server.anonymous.send(new ForgotPasswordCommand({ ClientId: legacy.client.clientId, Username: 'wes' }));
  assert.equal(viaLegacy.CodeDeliveryDetails?.DeliveryMedium, 'SMS');

  const ordered = await emailPool({
    AutoVerifiedAttributes: ['email', 'phone_number'],
    AccountRecoverySetting: {
      RecoveryMechanisms: [
        { Name: 'verified_phone_number', Priority: 2 },
        { Name: 'verified_email', Priority: 1 },
      ],
    },
  });
  const other = await signUpConfirmed(server, ordered.poolId, ordered.client, 'wes', attributes);
  await server.services.store.users.update({ ...other, attributes: { ...other.attributes, email_verified: 'true' } });
  const viaSetting = await server.anonymous.send(new ForgotPasswordCommand({ ClientId: ordered.client.clientId, Username: 'wes' }));
  assert.deepEqual(viaSetting.CodeDeliveryDetails, { Destination: 'w***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
});

test('ConfirmForgotPassword sets the new password with the reset code', async () => {
  const { poolId, client } = await emailPool();
  await signUpConfirmed(server, poolId, client, 'xena', { email: 'xena@example.com' });
  const confirm = (ConfirmationCode: string, Password: string) =>
    server.anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: client.clientId, Username: 'xena', ConfirmationCode, Password }));

  const none = await captureError(() => confirm('123456', 'New-Password-1'));
  assert.equal(none.name, 'ExpiredCodeException');
  assert.equal(none.message, 'Invalid code provided, please request a code again.');

  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: 'xena' }));
  const code = await codeFor(server, poolId, 'xena', 'forgot-password');

  const wrong = await captureError(() => confirm(code === '111111' ? '222222' : '111111', 'New-Password-1'));
  assert.equal(wrong.name, 'CodeMismatchException');
  assert.equal(wrong.message, 'Invalid verification code provided, please try again.');

  // A weak password is refused with the reset wording, and does not use up the code.
  const weak = await captureError(() => confirm(code, 'short'));
  assert.equal(weak.name, 'InvalidPasswordException');
  assert.equal(weak.message, 'Password does not conform to policy: Password not long enough');

  const response = await confirm(code, 'New-Password-1');
  assert.equal(response.$metadata.httpStatusCode, 200);
  assert.ok(await verifyPassword((await storedUser(server, poolId, 'xena')).passwordHash!, 'New-Password-1'));
});

test('ConfirmForgotPassword: the code is single use and expires after an hour', async () => {
  const { poolId, client } = await emailPool();
  await signUpConfirmed(server, poolId, client, 'yuri', { email: 'yuri@example.com' });
  const confirm = (ConfirmationCode: string, Password: string) =>
    server.anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: client.clientId, Username: 'yuri', ConfirmationCode, Password }));

  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: 'yuri' }));
  const first = await codeFor(server, poolId, 'yuri', 'forgot-password');
  const expired = await clock.travel(HOUR + 1000, () => captureError(() => confirm(first, 'New-Password-1')));
  assert.equal(expired.name, 'ExpiredCodeException');

  await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: 'yuri' }));
  const second = await codeFor(server, poolId, 'yuri', 'forgot-password');
  await confirm(second, 'New-Password-1');
  const reused = await captureError(() => confirm(second, 'New-Password-2'));
  assert.equal(reused.name, 'ExpiredCodeException');
  const user = await storedUser(server, poolId, 'yuri');
  assert.ok(await verifyPassword(user.passwordHash!, 'New-Password-1'));
  assert.equal(user.status, 'CONFIRMED');
});

test('ConfirmForgotPassword for unknown users, and with existence hidden', async () => {
  const { poolId, client } = await emailPool();
  const input = { Username: 'nobody', ConfirmationCode: '123456', Password: 'New-Password-1' };
  const unknown = await captureError(() =>
    server.anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: client.clientId, ...input })),
  );
  assert.equal(unknown.name, 'UserNotFoundException');
  const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: 'ENABLED' });
  const hidden = await captureError(() => server.anonymous.send(new ConfirmForgotPasswordCommand({ ClientId: hiding.clientId, ...input })));
  assert.equal(hidden.name, 'CodeMismatchException');
});

// ---------------------------------------------------------------- the whole journey

test('sign up, confirm, sign in, forget the password, reset it and sign in again', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'] });
  const client = await createClient(server, poolId, {
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const email = 'zoe@example.com';
  const secretHash = client.hash(email);

  const signedUp = await server.anonymous.send(
    new SignUpCommand({
      ClientId: client.clientId,
      SecretHash: secretHash,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'name', Value: 'Zoe' }],
    }),
  );
  assert.equal(signedUp.CodeDeliveryDetails?.Destination, 'z***@e***');
  const internal = signedUp.UserSub!;
  await server.anonymous.send(
    new ConfirmSignUpCommand({
      ClientId: client.clientId,
      SecretHash: secretHash,
      Username: email,
      ConfirmationCode: await codeFor(server, poolId, internal, 'signup'),
    }),
  );

  const signIn = (password: string) =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: client.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash! },
      }),
    );
  assert.ok((await signIn(PASSWORD)).AuthenticationResult?.AccessToken);

  const forgot = await server.anonymous.send(
    new ForgotPasswordCommand({ ClientId: client.clientId, SecretHash: secretHash, Username: email }),
  );
  assert.deepEqual(forgot.CodeDeliveryDetails, { Destination: 'z***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: client.clientId,
      SecretHash: secretHash,
      Username: email,
      ConfirmationCode: await codeFor(server, poolId, internal, 'forgot-password'),
      Password: 'Brand-New-Pass-7',
    }),
  );

  assert.ok((await signIn('Brand-New-Pass-7')).AuthenticationResult?.AccessToken);
  const old = await captureError(() => signIn(PASSWORD));
  assert.equal(old.name, 'NotAuthorizedException');
  assert.equal(old.message, 'Incorrect username or password.');
});
