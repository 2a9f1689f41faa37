import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangePasswordCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { verifyPassword } from '../../src/crypto/password-hash.js';
import { sha256Hex } from '../../src/crypto/compare.js';
import {
  PASSWORD,
  attributesOf,
  codeFor,
  createClient,
  createPool,
  signUpConfirmed,
  storedUser,
  tokensFor,
  type TestClient,
} from './users-fixtures.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = FrozenClock.atNow();
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

const HOUR = 3_600_000;

interface Setup {
  poolId: string;
  client: TestClient;
  accessToken: string;
  refreshToken: string;
}

/** A pool auto-verifying email, a client, and a confirmed user signed in through it. */
async function signedIn(
  username: string,
  attributes: Record<string, string> = {},
  pool: Parameters<typeof createPool>[1] = {},
  clientInput: Parameters<typeof createClient>[2] = {},
): Promise<Setup> {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], ...pool });
  const client = await createClient(server, poolId, clientInput);
  const user = await signUpConfirmed(server, poolId, client, username, { email: `${username}@example.com`, ...attributes });
  const tokens = await tokensFor(server, poolId, client.clientId, user);
  return { poolId, client, accessToken: tokens.AccessToken, refreshToken: tokens.RefreshToken };
}

async function getUser(accessToken: string): Promise<{ Username: string; attributes: Record<string, string>; raw: AttributeType[] }> {
  const response = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  return { Username: response.Username!, attributes: attributesOf(response.UserAttributes), raw: response.UserAttributes ?? [] };
}

// ---------------------------------------------------------------- GetUser and token checks

test('GetUser returns the username and attributes, and no MFA settings for a user without MFA', async () => {
  const { accessToken, poolId } = await signedIn('amy', { name: 'Amy' });
  const response = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  assert.equal(response.Username, 'amy');
  const user = await storedUser(server, poolId, 'amy');
  assert.deepEqual(attributesOf(response.UserAttributes), { sub: user.sub, email: 'amy@example.com', name: 'Amy', email_verified: 'true' });
  assert.equal(response.MFAOptions, undefined);
  assert.equal(response.UserMFASettingList, undefined);
  assert.equal(response.PreferredMfaSetting, undefined);
});

test('GetUser shows only the attributes the client may read, and sub', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  const writer = await createClient(server, poolId);
  const reader = await createClient(server, poolId, { ReadAttributes: ['email'] });
  const user = await signUpConfirmed(server, poolId, writer, 'ben', { email: 'ben@example.com', name: 'Ben' });
  const { AccessToken } = await tokensFor(server, poolId, reader.clientId, user);
  assert.deepEqual((await getUser(AccessToken)).attributes, { sub: user.sub, email: 'ben@example.com' });
});

test('access tokens that are malformed, expired, of a disabled or deleted user are refused', async () => {
  const { poolId, accessToken } = await signedIn('dora');
  const bad = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: 'not.a.token' })));
  assert.equal(bad.name, 'NotAuthorizedException');
  assert.equal(bad.message, 'Invalid Access Token');
  assert.equal(bad.$metadata?.httpStatusCode, 400);

  const expired = await clock.travel(HOUR + 1000, () =>
    captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }))),
  );
  assert.equal(expired.name, 'NotAuthorizedException');
  assert.equal(expired.message, 'Access Token has expired');

  const user = await storedUser(server, poolId, 'dora');
  await server.services.store.users.update({ ...user, enabled: false });
  const disabled = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken })));
  assert.equal(disabled.name, 'NotAuthorizedException');
  assert.equal(disabled.message, 'User is disabled.');

  await server.services.store.users.delete(poolId, user.usernameKey);
  const deleted = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken })));
  assert.equal(deleted.name, 'UserNotFoundException');
  assert.equal(deleted.message, 'User does not exist.');
});

// ---------------------------------------------------------------- UpdateUserAttributes / VerifyUserAttribute

test('UpdateUserAttributes changes plain attributes without sending anything', async () => {
  const { accessToken } = await signedIn('eli', { name: 'Eli' });
  const response = await server.anonymous.send(
    new UpdateUserAttributesCommand({
      AccessToken: accessToken,
      UserAttributes: [
        { Name: 'name', Value: 'Elias' },
        { Name: 'locale', Value: 'fr' },
      ],
    }),
  );
  assert.equal(response.CodeDeliveryDetailsList, undefined);
  const { attributes } = await getUser(accessToken);
  assert.equal(attributes['name'], 'Elias');
  assert.equal(attributes['locale'], 'fr');
});

test('a new email is unverified until VerifyUserAttribute confirms it with the code sent to it', async () => {
  const { poolId, accessToken } = await signedIn('fay');
  const response = await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'fay.new@example.com' }] }),
  );
  assert.deepEqual(response.CodeDeliveryDetailsList, [{ Destination: 'f***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
  let { attributes } = await getUser(accessToken);
  assert.equal(attributes['email'], 'fay.new@example.com');
  assert.equal(attributes['email_verified'], 'false');

  const message = await server.lastMessage(poolId, 'fay', 'verify:email');
  assert.equal(message?.destination, 'fay.new@example.com');
  const code = message!.code!;
  const wrong = await captureError(() =>
    server.anonymous.send(
      new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code === '111111' ? '222222' : '111111' }),
    ),
  );
  assert.equal(wrong.name, 'CodeMismatchException');
  assert.equal(wrong.message, 'Invalid verification code provided, please try again.');

  await server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }));
  ({ attributes } = await getUser(accessToken));
  assert.equal(attributes['email_verified'], 'true');

  const reused = await captureError(() =>
    server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code })),
  );
  assert.equal(reused.name, 'CodeMismatchException');
});

test('an expired verification code is ExpiredCodeException', async () => {
  const { poolId, accessToken } = await signedIn('gus');
  await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'gus2@example.com' }] }),
  );
  const code = await codeFor(server, poolId, 'gus', 'verify:email');
  // Tokens expire before codes, so a fresh token is minted at the later time.
  const error = await clock.travel(24 * HOUR + 1000, async () => {
    const user = await storedUser(server, poolId, 'gus');
    const { AccessToken } = await tokensFor(server, poolId, (await server.services.store.clients.list(poolId, 1))[0]!.clientId, user);
    return captureError(() => server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code })));
  });
  assert.equal(error.name, 'ExpiredCodeException');
  assert.equal(error.message, 'Invalid code provided, please request a code again.');
});

test('with AttributesRequireVerificationBeforeUpdate the old email stays until the new one is verified', async () => {
  const { poolId, accessToken } = await signedIn(
    'hal',
    {},
    { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } },
  );
  const response = await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'hal.new@example.com' }] }),
  );
  assert.equal(response.CodeDeliveryDetailsList?.length, 1);
  let { attributes } = await getUser(accessToken);
  assert.equal(attributes['email'], 'hal@example.com');
  assert.equal(attributes['email_verified'], 'true');

  // A resend goes to the waiting value too.
  const resent = await server.anonymous.send(
    new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }),
  );
  assert.deepEqual(resent.CodeDeliveryDetails, { Destination: 'h***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  const message = await server.lastMessage(poolId, 'hal', 'verify:email');
  assert.equal(message?.destination, 'hal.new@example.com');

  await server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: message!.code! }));
  ({ attributes } = await getUser(accessToken));
  assert.equal(attributes['email'], 'hal.new@example.com');
  assert.equal(attributes['email_verified'], 'true');
  assert.equal((await storedUser(server, poolId, 'hal')).extra.pending, undefined);
});

test('UpdateUserAttributes: a blank value deletes; unwritable, unknown and immutable attributes are refused', async () => {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'frozen', AttributeDataType: 'String', Mutable: false }],
  });
  const client = await createClient(server, poolId);
  const user = await signUpConfirmed(server, poolId, client, 'ida', { email: 'ida@example.com', name: 'Ida', 'custom:frozen': 'ice' });
  const { AccessToken } = await tokensFor(server, poolId, client.clientId, user);
  const update = (UserAttributes: AttributeType[]) =>
    server.anonymous.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes }));

  await update([{ Name: 'name', Value: '' }]);
  assert.equal((await getUser(AccessToken)).attributes['name'], undefined);

  const flag = await captureError(() => update([{ Name: 'email_verified', Value: 'true' }]));
  assert.equal(flag.name, 'NotAuthorizedException');
  assert.equal(flag.message, 'A client attempted to write unauthorized attribute');

  const unknown = await captureError(() => update([{ Name: 'custom:nope', Value: 'x' }]));
  assert.equal(unknown.name, 'InvalidParameterException');
  assert.equal(unknown.message, 'user.custom:nope: Attribute does not exist in the schema.\n');

  const immutable = await captureError(() => update([{ Name: 'custom:frozen', Value: 'water' }]));
  assert.equal(immutable.message, 'user.custom:frozen: Attribute cannot be updated.\n');

  const narrow = await createClient(server, poolId, { WriteAttributes: ['name'] });
  const narrowTokens = await tokensFor(server, poolId, narrow.clientId, user);
  const locale = await captureError(() =>
    server.anonymous.send(
      new UpdateUserAttributesCommand({ AccessToken: narrowTokens.AccessToken, UserAttributes: [{ Name: 'locale', Value: 'de' }] }),
    ),
  );
  assert.equal(locale.name, 'NotAuthorizedException');
});

test('in email-as-username pools an email another user has is AliasExistsException', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'] });
  const client = await createClient(server, poolId);
  await signUpConfirmed(server, poolId, client, 'jo@example.com');
  const other = await signUpConfirmed(server, poolId, client, 'kai@example.com');
  const { AccessToken } = await tokensFor(server, poolId, client.clientId, other);
  const error = await captureError(() =>
    server.anonymous.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'JO@example.com' }] })),
  );
  assert.equal(error.name, 'AliasExistsException');
  assert.equal(error.message, 'An account with the given email already exists.');
});

test('VerifyUserAttribute of an email alias another user verified is AliasExistsException', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'] });
  const client = await createClient(server, poolId);
  await signUpConfirmed(server, poolId, client, 'lou', { email: 'lou@example.com' });
  const other = await signUpConfirmed(server, poolId, client, 'max', { email: 'max@example.com' });
  const { AccessToken } = await tokensFor(server, poolId, client.clientId, other);
  await server.anonymous.send(
    new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'lou@example.com' }] }),
  );
  const code = await codeFor(server, poolId, 'max', 'verify:email');
  const error = await captureError(() =>
    server.anonymous.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code })),
  );
  assert.equal(error.name, 'AliasExistsException');
  assert.equal(error.message, 'An account with the given email already exists.');
});

// ---------------------------------------------------------------- GetUserAttributeVerificationCode

test('GetUserAttributeVerificationCode sends a code, refuses other attributes and is rate limited', async () => {
  const { poolId, accessToken } = await signedIn('ned');
  const send = (AttributeName: string) =>
    server.anonymous.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName }));
  const response = await send('email');
  assert.deepEqual(response.CodeDeliveryDetails, { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  assert.equal((await server.lastMessage(poolId, 'ned', 'verify:email'))?.destination, 'ned@example.com');

  const name = await captureError(() => send('name'));
  assert.equal(name.name, 'InvalidParameterException');
  const phone = await captureError(() => send('phone_number'));
  assert.equal(phone.name, 'InvalidParameterException');

  for (let i = 0; i < 4; i++) await send('email');
  const limited = await captureError(() => send('email'));
  assert.equal(limited.name, 'LimitExceededException');
  assert.equal(limited.message, 'Attempt limit exceeded, please try after some time.');
});

// ---------------------------------------------------------------- DeleteUserAttributes

test('DeleteUserAttributes removes attributes, an email with its verified flag', async () => {
  const { accessToken } = await signedIn('oli', { name: 'Oli' });
  const response = await server.anonymous.send(
    new DeleteUserAttributesCommand({ AccessToken: accessToken, UserAttributeNames: ['name', 'email'] }),
  );
  assert.equal(response.$metadata.httpStatusCode, 200);
  const { attributes } = await getUser(accessToken);
  assert.deepEqual(Object.keys(attributes), ['sub']);
});

test('DeleteUserAttributes refuses required, unknown and unwritable attributes', async () => {
  const { accessToken } = await signedIn('pam', {}, { Schema: [{ Name: 'email', Required: true }] });
  const del = (names: string[]) =>
    server.anonymous.send(new DeleteUserAttributesCommand({ AccessToken: accessToken, UserAttributeNames: names }));
  const required = await captureError(() => del(['email']));
  assert.equal(required.name, 'InvalidParameterException');
  assert.equal(required.message, 'user.email: The attribute is required\n');
  const unknown = await captureError(() => del(['custom:nope']));
  assert.equal(unknown.message, 'user.custom:nope: Attribute does not exist in the schema.\n');
  const flag = await captureError(() => del(['email_verified']));
  assert.equal(flag.name, 'NotAuthorizedException');
});

// ---------------------------------------------------------------- ChangePassword

test('ChangePassword checks the previous password and sets the new one', async () => {
  const { poolId, accessToken } = await signedIn('quin');
  const change = (PreviousPassword: string | undefined, ProposedPassword: string) =>
    server.anonymous.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword, ProposedPassword }));

  const wrong = await captureError(() => change('Not-The-Password-1', 'Another-Pass-2'));
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, 'Incorrect username or password.');

  const weak = await captureError(() => change(PASSWORD, 'short'));
  assert.equal(weak.name, 'InvalidPasswordException');
  assert.equal(weak.message, 'Password does not conform to policy: Password not long enough');

  const missing = await captureError(() => change(undefined, 'Another-Pass-2'));
  assert.equal(missing.name, 'InvalidParameterException');
  assert.equal(
    missing.message,
    "1 validation error detected: Value at 'previousPassword' failed to satisfy constraint: Member must not be null",
  );

  await change(PASSWORD, 'Another-Pass-2');
  const user = await storedUser(server, poolId, 'quin');
  assert.ok(await verifyPassword(user.passwordHash!, 'Another-Pass-2'));
  // The session that changed the password stays valid.
  assert.equal((await getUser(accessToken)).Username, 'quin');

  // Five calls an hour (Cognito's quota; the refused missing-member call did not count).
  await change('Another-Pass-2', 'Third-Pass-3');
  await change('Third-Pass-3', 'Fourth-Pass-4');
  const limited = await captureError(() => change('Fourth-Pass-4', 'Fifth-Pass-5'));
  assert.equal(limited.name, 'LimitExceededException');
  assert.equal(limited.message, 'Attempt limit exceeded, please try after some time.');
});

// ---------------------------------------------------------------- DeleteUser

test('DeleteUser deletes the user, and its tokens stop working', async () => {
  const { poolId, accessToken, refreshToken } = await signedIn('rob');
  const user = await storedUser(server, poolId, 'rob');
  const response = await server.anonymous.send(new DeleteUserCommand({ AccessToken: accessToken }));
  assert.equal(response.$metadata.httpStatusCode, 200);
  assert.equal(await server.services.store.users.get(poolId, user.usernameKey), undefined);
  assert.equal(await server.services.store.refreshTokens.get(sha256Hex(refreshToken)), undefined);
  const error = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken })));
  assert.equal(error.name, 'UserNotFoundException');
  assert.equal(error.message, 'User does not exist.');
});

// ---------------------------------------------------------------- GlobalSignOut

test('GlobalSignOut revokes every session of the user', async () => {
  const { poolId, client, accessToken, refreshToken } = await signedIn('sue');
  const user = await storedUser(server, poolId, 'sue');
  const second = await tokensFor(server, poolId, client.clientId, user);

  await server.anonymous.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
  for (const token of [accessToken, second.AccessToken]) {
    const error = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: token })));
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, 'Access Token has been revoked');
  }
  for (const token of [refreshToken, second.RefreshToken]) {
    assert.equal(typeof (await server.services.store.refreshTokens.get(sha256Hex(token)))?.revokedAt, 'number');
  }
  const again = await captureError(() => server.anonymous.send(new GlobalSignOutCommand({ AccessToken: accessToken })));
  assert.equal(again.message, 'Access Token has been revoked');

  // A sign-in after the sign-out works.
  const fresh = await clock.travel(1000, async () => {
    const tokens = await tokensFor(server, poolId, client.clientId, user);
    return (await getUser(tokens.AccessToken)).Username;
  });
  assert.equal(fresh, 'sue');
});

// ---------------------------------------------------------------- RevokeToken

test('RevokeToken revokes one session: its refresh token and the access tokens issued with it', async () => {
  const { poolId, client, accessToken, refreshToken } = await signedIn('tim');
  const user = await storedUser(server, poolId, 'tim');
  const other = await tokensFor(server, poolId, client.clientId, user);

  const response = await server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: refreshToken }));
  assert.equal(response.$metadata.httpStatusCode, 200);
  const revoked = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken })));
  assert.equal(revoked.name, 'NotAuthorizedException');
  assert.equal(revoked.message, 'Access Token has been revoked');
  assert.equal((await getUser(other.AccessToken)).Username, 'tim');

  // Revoking again, or a token that was never issued, is still a success (RFC 7009).
  await server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: refreshToken }));
  await server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: 'bm90LWEtcmVmcmVzaC10b2tlbg' }));
});

test('RevokeToken refuses ID and access tokens, other clients and disabled revocation', async () => {
  const { poolId, client, accessToken, refreshToken } = await signedIn('uri');
  const jwt = await captureError(() => server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: accessToken })));
  assert.equal(jwt.name, 'UnsupportedTokenTypeException');

  const other = await createClient(server, poolId);
  const foreign = await captureError(() =>
    server.anonymous.send(new RevokeTokenCommand({ ClientId: other.clientId, Token: refreshToken })),
  );
  assert.equal(foreign.name, 'UnauthorizedException');
  assert.equal(foreign.$metadata?.httpStatusCode, 400);
  assert.equal(
    await server.services.store.refreshTokens.isFamilyRevoked(
      (await server.services.store.refreshTokens.get(sha256Hex(refreshToken)))!.originJti,
    ),
    false,
  );

  const off = await createClient(server, poolId, { EnableTokenRevocation: false });
  const user = await storedUser(server, poolId, 'uri');
  const offTokens = await tokensFor(server, poolId, off.clientId, user);
  const disabled = await captureError(() =>
    server.anonymous.send(new RevokeTokenCommand({ ClientId: off.clientId, Token: offTokens.RefreshToken })),
  );
  assert.equal(disabled.name, 'UnsupportedOperationException');
});

test('RevokeToken needs the client secret of a client that has one', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  const client = await createClient(server, poolId, { GenerateSecret: true });
  const user = await signUpConfirmed(server, poolId, client, 'val', { email: 'val@example.com' });
  const { RefreshToken, AccessToken } = await tokensFor(server, poolId, client.clientId, user);

  const missing = await captureError(() =>
    server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: RefreshToken })),
  );
  assert.equal(missing.name, 'UnauthorizedException');
  const wrong = await captureError(() =>
    server.anonymous.send(new RevokeTokenCommand({ ClientId: client.clientId, Token: RefreshToken, ClientSecret: 'x'.repeat(51) })),
  );
  assert.equal(wrong.name, 'UnauthorizedException');

  await server.anonymous.send(
    new RevokeTokenCommand({ ClientId: client.clientId, Token: RefreshToken, ClientSecret: client.clientSecret }),
  );
  const revoked = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken })));
  assert.equal(revoked.message, 'Access Token has been revoked');
});
