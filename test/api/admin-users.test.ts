import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  CreateUserPoolCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { issueTokens } from '../../src/tokens/issue.js';
import { authenticateAccessToken } from '../../src/tokens/access-token.js';
import { sha256Hex } from '../../src/crypto/compare.js';
import type { UserRecord } from '../../src/store/ports.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'Passw0rd!';

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'admin-users', ...input }));
  return created.UserPool!.Id!;
}

function attrs(list: AttributeType[] | undefined): Record<string, string | undefined> {
  return Object.fromEntries((list ?? []).map((a) => [a.Name!, a.Value]));
}

async function createUser(poolId: string, username: string, attributes: Record<string, string> = {}): Promise<string> {
  const created = await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return created.User!.Username!;
}

async function getUser(poolId: string, username: string) {
  return server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
}

async function storedUser(poolId: string, username: string): Promise<UserRecord> {
  const user = await server.services.store.users.get(poolId, username);
  assert.ok(user, `user ${username} is stored`);
  return user;
}

/** Signs the user in without InitiateAuth: tokens minted directly, as a sign-in would. */
async function signIn(poolId: string, username: string): Promise<{ accessToken: string; refreshToken: string }> {
  const { UserPoolClient } = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
  const services = server.services;
  const pool = (await services.store.pools.get(poolId))!;
  const client = (await services.store.clients.get(poolId, UserPoolClient!.ClientId!))!;
  const user = await storedUser(poolId, username);
  const result = await issueTokens(services, {
    source: 'TokenGeneration_Authentication',
    pool,
    client,
    user,
    authTime: services.clock.now(),
    refresh: 'new',
  });
  return { accessToken: result.AccessToken!, refreshToken: result.RefreshToken! };
}

async function accessTokenError(token: string): Promise<{ name: string; message: string }> {
  return captureError(() => authenticateAccessToken(server.services, token));
}

describe('AdminCreateUser', () => {
  test('creates a FORCE_CHANGE_PASSWORD user with a sub and `Attributes`, and emails the invitation', async () => {
    const poolId = await newPool();
    const created = await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'alice',
        TemporaryPassword: 'Temp0rary!',
        UserAttributes: [
          { Name: 'email', Value: 'alice@example.com' },
          { Name: 'email_verified', Value: 'True' },
          { Name: 'given_name', Value: 'Alice' },
        ],
      }),
    );
    const user = created.User!;
    assert.equal(user.Username, 'alice');
    assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(user.Enabled, true);
    assert.ok(user.UserCreateDate instanceof Date);
    assert.ok(user.UserLastModifiedDate instanceof Date);
    assert.equal(user.MFAOptions, undefined);
    const a = attrs(user.Attributes);
    assert.match(a['sub']!, UUID);
    assert.equal(user.Attributes![0]!.Name, 'sub');
    assert.equal(a['email'], 'alice@example.com');
    assert.equal(a['email_verified'], 'true');
    assert.equal(a['given_name'], 'Alice');

    const message = await server.lastMessage(poolId, 'alice', 'admin-create-user');
    assert.ok(message, 'the invitation is in the inbox');
    assert.equal(message.medium, 'EMAIL');
    assert.equal(message.destination, 'alice@example.com');
    assert.equal(message.code, 'Temp0rary!');
    assert.equal(message.subject, 'Your temporary password');
    assert.equal(message.message, 'Your username is alice and temporary password is Temp0rary!.');
  });

  test('generates a temporary password that satisfies the policy and fills the pool template', async () => {
    const poolId = await newPool({
      AdminCreateUserConfig: {
        InviteMessageTemplate: {
          EmailSubject: 'Welcome {username}',
          EmailMessage: 'Hi {username}, use {####} to sign in.',
          SMSMessage: 'pw {####}',
        },
      },
    });
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'bob',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: 'bob@example.com' },
          { Name: 'phone_number', Value: '+15550001111' },
        ],
      }),
    );
    const message = await server.lastMessage(poolId, 'bob', 'admin-create-user');
    assert.ok(message?.code);
    const password = message.code;
    assert.ok(password.length >= 8);
    assert.match(password, /[A-Z]/);
    assert.match(password, /[a-z]/);
    assert.match(password, /[0-9]/);
    assert.match(password, /[^A-Za-z0-9]/);
    assert.equal(message.medium, 'EMAIL');
    assert.equal(message.subject, 'Welcome bob');
    assert.equal(message.message, `Hi bob, use ${password} to sign in.`);
  });

  test('sends by SMS by default when the user has a phone number, and nothing with SUPPRESS', async () => {
    const poolId = await newPool();
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'carol',
        TemporaryPassword: 'Temp0rary!',
        UserAttributes: [
          { Name: 'email', Value: 'carol@example.com' },
          { Name: 'phone_number', Value: '+15550002222' },
        ],
      }),
    );
    const sms = await server.lastMessage(poolId, 'carol', 'admin-create-user');
    assert.equal(sms?.medium, 'SMS');
    assert.equal(sms?.destination, '+15550002222');
    assert.equal(sms?.message, 'Your username is carol and temporary password is Temp0rary!');

    await createUser(poolId, 'quiet', { email: 'quiet@example.com' });
    assert.equal(await server.lastMessage(poolId, 'quiet'), undefined);
  });

  test('an existing username is UsernameExistsException', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'dup');
    const error = await captureError(() => createUser(poolId, 'dup'));
    assert.equal(error.name, 'UsernameExistsException');
    assert.equal(error.message, 'User account already exists');
  });

  test('a temporary password that breaks the policy is InvalidPasswordException', async () => {
    const poolId = await newPool();
    const error = await captureError(() =>
      server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'weak', TemporaryPassword: 'short' })),
    );
    assert.equal(error.name, 'InvalidPasswordException');
    assert.equal(error.message, 'Password did not conform with password policy: Password not long enough');
    assert.equal(await server.services.store.users.get(poolId, 'weak'), undefined);
  });

  test('EMAIL delivery without an email, and attributes outside the schema, are InvalidParameterException', async () => {
    const poolId = await newPool();
    const noEmail = await captureError(() =>
      server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nomail', DesiredDeliveryMediums: ['EMAIL'] })),
    );
    assert.equal(noEmail.name, 'InvalidParameterException');
    assert.equal(noEmail.message, 'No email provided but desired delivery medium was Email');

    const unknown = await captureError(() => createUser(poolId, 'odd', { shoe_size: '42' }));
    assert.equal(unknown.name, 'InvalidParameterException');
    assert.equal(unknown.message, 'Attributes did not conform to the schema: shoe_size: Attribute does not exist in the schema.\n');

    const badEmail = await captureError(() => createUser(poolId, 'odd', { email: 'not-an-email' }));
    assert.equal(badEmail.message, 'Invalid email address format.');
  });

  test('required attributes may be left out by an administrator', async () => {
    const poolId = await newPool({ Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true }] });
    assert.equal(await createUser(poolId, 'noemail'), 'noemail');
  });

  test('RESEND sends a new temporary password; unknown and confirmed users are refused', async () => {
    const poolId = await newPool();
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'erin',
        TemporaryPassword: 'Temp0rary!',
        UserAttributes: [{ Name: 'email', Value: 'erin@example.com' }],
      }),
    );
    const resent = await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', MessageAction: 'RESEND' }));
    assert.equal(resent.User!.Username, 'erin');
    assert.equal(resent.User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const message = await server.lastMessage(poolId, 'erin', 'admin-create-user');
    assert.ok(message?.code);
    assert.notEqual(message.code, 'Temp0rary!');

    const missing = await captureError(() =>
      server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nobody', MessageAction: 'RESEND' })),
    );
    assert.equal(missing.name, 'UserNotFoundException');
    assert.equal(missing.message, 'User does not exist.');

    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'erin', Password: PASSWORD, Permanent: true }));
    const confirmed = await captureError(() =>
      server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', MessageAction: 'RESEND' })),
    );
    assert.equal(confirmed.name, 'UnsupportedUserStateException');
    assert.equal(confirmed.message, 'Resend not possible. erin status is not FORCE_CHANGE_PASSWORD');
  });

  test('in an email-as-username pool the username is the sub and the email becomes the attribute', async () => {
    const poolId = await newPool({ UsernameAttributes: ['email'] });
    const created = await server.admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Frank@Example.com', MessageAction: 'SUPPRESS' }),
    );
    const user = created.User!;
    assert.match(user.Username!, UUID);
    assert.equal(attrs(user.Attributes)['sub'], user.Username);
    assert.equal(attrs(user.Attributes)['email'], 'Frank@Example.com');

    const byEmail = await getUser(poolId, 'frank@example.com');
    assert.equal(byEmail.Username, user.Username);

    const notEmail = await captureError(() => createUser(poolId, 'frank'));
    assert.equal(notEmail.name, 'InvalidParameterException');
    assert.equal(notEmail.message, 'Username should be an email.');

    const dup = await captureError(() => createUser(poolId, 'frank@example.com'));
    assert.equal(dup.name, 'UsernameExistsException');
    assert.equal(dup.message, 'An account with the given email already exists.');
  });

  test('in an email-alias pool a verified email held by another user is AliasExistsException unless ForceAliasCreation', async () => {
    const poolId = await newPool({ AliasAttributes: ['email'] });
    await createUser(poolId, 'gina', { email: 'shared@example.com', email_verified: 'true' });

    const shaped = await captureError(() => createUser(poolId, 'gina@example.com'));
    assert.equal(shaped.name, 'InvalidParameterException');
    assert.equal(shaped.message, 'Username cannot be of email format, since user pool is configured for email alias.');

    const conflict = await captureError(() => createUser(poolId, 'hank', { email: 'shared@example.com', email_verified: 'true' }));
    assert.equal(conflict.name, 'AliasExistsException');
    assert.equal(conflict.message, 'An account with the given email already exists.');

    // Unverified, the same email is no alias and no conflict.
    await createUser(poolId, 'ivan', { email: 'shared@example.com' });

    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'hank',
        MessageAction: 'SUPPRESS',
        ForceAliasCreation: true,
        UserAttributes: [
          { Name: 'email', Value: 'shared@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    assert.equal(attrs((await getUser(poolId, 'gina')).UserAttributes)['email_verified'], 'false');
    assert.equal((await getUser(poolId, 'shared@example.com')).Username, 'hank');
  });
});

describe('AdminGetUser', () => {
  test('returns `UserAttributes`, Date timestamps and no MFA members for a user without MFA', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'jane', { email: 'jane@example.com', name: 'Jane' });
    const user = await getUser(poolId, 'jane');
    assert.equal(user.Username, 'jane');
    assert.equal(attrs(user.UserAttributes)['email'], 'jane@example.com');
    assert.ok(user.UserCreateDate instanceof Date);
    assert.ok(user.UserLastModifiedDate instanceof Date);
    assert.equal(user.Enabled, true);
    assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(user.MFAOptions, undefined);
    assert.equal(user.UserMFASettingList, undefined);
    assert.equal(user.PreferredMfaSetting, undefined);
    assert.equal((user as unknown as { Attributes?: unknown }).Attributes, undefined);

    const bySub = await getUser(poolId, attrs(user.UserAttributes)['sub']!);
    assert.equal(bySub.Username, 'jane');
  });

  test('an unknown user is UserNotFoundException and an unknown pool ResourceNotFoundException', async () => {
    const poolId = await newPool();
    const error = await captureError(() => getUser(poolId, 'ghost'));
    assert.equal(error.name, 'UserNotFoundException');
    assert.equal(error.message, 'User does not exist.');
    const pool = await captureError(() => getUser('us-east-1_nopool123', 'ghost'));
    assert.equal(pool.name, 'ResourceNotFoundException');
    assert.equal(pool.message, 'User pool us-east-1_nopool123 does not exist.');
  });
});

describe('AdminDeleteUser', () => {
  test('deletes the user, its group memberships and its sessions', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'kate');
    const store = server.services.store;
    const now = server.services.clock.now();
    await store.groups.create({
      poolId,
      name: 'staff',
      description: null,
      roleArn: null,
      precedence: null,
      createdAt: now,
      updatedAt: now,
    });
    await store.groups.addMember(poolId, 'staff', 'kate');
    const { refreshToken } = await signIn(poolId, 'kate');

    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'kate' }));
    const error = await captureError(() => getUser(poolId, 'kate'));
    assert.equal(error.name, 'UserNotFoundException');
    assert.deepEqual(await store.groups.groupsOf(poolId, 'kate'), []);
    assert.equal(await store.refreshTokens.get(sha256Hex(refreshToken)), undefined);

    const again = await captureError(() => server.admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'kate' })));
    assert.equal(again.name, 'UserNotFoundException');
    assert.equal(again.message, 'User does not exist.');
  });
});

describe('AdminDisableUser and AdminEnableUser', () => {
  test('disabling revokes the sessions; enabling lets the user in again without reviving them', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'liam');
    const { accessToken, refreshToken } = await signIn(poolId, 'liam');
    assert.equal((await authenticateAccessToken(server.services, accessToken)).user.username, 'liam');

    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'liam' }));
    assert.equal((await getUser(poolId, 'liam')).Enabled, false);
    assert.equal((await accessTokenError(accessToken)).name, 'NotAuthorizedException');
    assert.equal(typeof (await server.services.store.refreshTokens.get(sha256Hex(refreshToken)))?.revokedAt, 'number');

    await server.admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'liam' }));
    assert.equal((await getUser(poolId, 'liam')).Enabled, true);
    const revoked = await accessTokenError(accessToken);
    assert.equal(revoked.name, 'NotAuthorizedException');
    assert.equal(revoked.message, 'Access Token has been revoked');

    const missing = await captureError(() => server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'nobody' })));
    assert.equal(missing.name, 'UserNotFoundException');
  });
});

describe('AdminUpdateUserAttributes', () => {
  test('a new email is unverified unless verified in the same call; a blank value removes an attribute', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'mia', { email: 'mia@example.com', email_verified: 'true', nickname: 'mimi' });
    const update = (attributes: AttributeType[]) =>
      server.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'mia', UserAttributes: attributes }));

    await update([{ Name: 'email', Value: 'mia@new.example' }]);
    let a = attrs((await getUser(poolId, 'mia')).UserAttributes);
    assert.equal(a['email'], 'mia@new.example');
    assert.equal(a['email_verified'], 'false');
    // The pool does not auto-verify email, so no code goes out.
    assert.equal(await server.lastMessage(poolId, 'mia', 'verify:email'), undefined);

    await update([
      { Name: 'email', Value: 'mia@other.example' },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'nickname', Value: '' },
    ]);
    a = attrs((await getUser(poolId, 'mia')).UserAttributes);
    assert.equal(a['email'], 'mia@other.example');
    assert.equal(a['email_verified'], 'true');
    assert.equal(a['nickname'], undefined);
  });

  test('auto-verified attributes get a verification code at the new address', async () => {
    const poolId = await newPool({ AutoVerifiedAttributes: ['email'] });
    await createUser(poolId, 'nora', { email: 'nora@example.com', email_verified: 'true' });
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'nora',
        UserAttributes: [{ Name: 'email', Value: 'nora@new.example' }],
      }),
    );
    const message = await server.lastMessage(poolId, 'nora', 'verify:email');
    assert.equal(message?.destination, 'nora@new.example');
    assert.match(message?.code ?? '', /^\d{6}$/);
  });

  test('with AttributesRequireVerificationBeforeUpdate the old email stays until the new one is verified', async () => {
    const poolId = await newPool({
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    await createUser(poolId, 'omar', { email: 'omar@example.com', email_verified: 'true' });
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'omar',
        UserAttributes: [{ Name: 'email', Value: 'omar@new.example' }],
      }),
    );
    const a = attrs((await getUser(poolId, 'omar')).UserAttributes);
    assert.equal(a['email'], 'omar@example.com');
    assert.equal(a['email_verified'], 'true');
    assert.deepEqual((await storedUser(poolId, 'omar')).extra.pending, { email: 'omar@new.example' });
    assert.equal((await server.lastMessage(poolId, 'omar', 'verify:email'))?.destination, 'omar@new.example');

    // Verified in the same call, the change applies at once.
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'omar',
        UserAttributes: [
          { Name: 'email', Value: 'omar@direct.example' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    assert.equal(attrs((await getUser(poolId, 'omar')).UserAttributes)['email'], 'omar@direct.example');
    assert.equal((await storedUser(poolId, 'omar')).extra.pending, undefined);
  });

  test('unknown and immutable attributes, and verified flags without a value, are InvalidParameterException', async () => {
    const poolId = await newPool({
      Schema: [{ Name: 'fixed', AttributeDataType: 'String', Mutable: false }],
    });
    await createUser(poolId, 'pia', { 'custom:fixed': 'x' });
    const update = (attributes: AttributeType[]) =>
      captureError(() =>
        server.admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'pia', UserAttributes: attributes })),
      );

    const unknown = await update([{ Name: 'shoe_size', Value: '42' }]);
    assert.equal(unknown.name, 'InvalidParameterException');
    assert.equal(unknown.message, 'user.shoe_size: Attribute does not exist in the schema.\n');

    const immutable = await update([{ Name: 'custom:fixed', Value: 'y' }]);
    assert.equal(immutable.message, 'user.custom:fixed: Attribute cannot be updated.\n');

    const flag = await update([{ Name: 'email_verified', Value: 'true' }]);
    assert.equal(flag.message, 'Email is required to verify/un-verify an email');

    const missing = await captureError(() =>
      server.admin.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ghost', UserAttributes: [{ Name: 'name', Value: 'x' }] }),
      ),
    );
    assert.equal(missing.name, 'UserNotFoundException');
  });

  test('in an email-as-username pool an email another user has is AliasExistsException', async () => {
    const poolId = await newPool({ UsernameAttributes: ['email'] });
    await createUser(poolId, 'quinn@example.com');
    await createUser(poolId, 'rose@example.com');
    const error = await captureError(() =>
      server.admin.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'rose@example.com',
          UserAttributes: [{ Name: 'email', Value: 'quinn@example.com' }],
        }),
      ),
    );
    assert.equal(error.name, 'AliasExistsException');
    assert.equal(error.message, 'An account with the given email already exists.');
  });

  test('in an email-alias pool verifying an email another user holds moves the alias', async () => {
    const poolId = await newPool({ AliasAttributes: ['email'] });
    await createUser(poolId, 'sam', { email: 'same@example.com', email_verified: 'true' });
    await createUser(poolId, 'tess');
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'tess',
        UserAttributes: [
          { Name: 'email', Value: 'same@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    assert.equal((await getUser(poolId, 'same@example.com')).Username, 'tess');
    assert.equal(attrs((await getUser(poolId, 'sam')).UserAttributes)['email_verified'], 'false');
  });

  test('in an email-alias pool verifying alone, without rewriting the email, also moves the alias', async () => {
    const poolId = await newPool({ AliasAttributes: ['email'] });
    await createUser(poolId, 'vera', { email: 'shared@example.com', email_verified: 'true' });
    await createUser(poolId, 'wade', { email: 'shared@example.com' });
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'wade',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    assert.equal((await getUser(poolId, 'shared@example.com')).Username, 'wade');
    assert.equal(attrs((await getUser(poolId, 'vera')).UserAttributes)['email_verified'], 'false');
  });

  test('an unverified holder of the same email does not stop AdminCreateUser from creating a verified alias', async () => {
    const poolId = await newPool({ AliasAttributes: ['email'] });
    await createUser(poolId, 'xena', { email: 'open@example.com' });
    await createUser(poolId, 'yuri', { email: 'open@example.com', email_verified: 'true' });
    assert.equal((await getUser(poolId, 'open@example.com')).Username, 'yuri');
    assert.equal(attrs((await getUser(poolId, 'xena')).UserAttributes)['email_verified'], undefined);
  });

  test('a user rewriting its own sign-in email, verified, keeps it', async () => {
    const usernamePool = await newPool({ UsernameAttributes: ['email'] });
    const zoe = await createUser(usernamePool, 'zoe@example.com');
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: usernamePool,
        Username: zoe,
        UserAttributes: [{ Name: 'email', Value: 'zoe@example.com' }],
      }),
    );
    const aliasPool = await newPool({ AliasAttributes: ['email'] });
    await createUser(aliasPool, 'abe', { email: 'abe@example.com', email_verified: 'true' });
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: aliasPool,
        Username: 'abe',
        UserAttributes: [
          { Name: 'email', Value: 'abe@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    assert.equal(attrs((await getUser(aliasPool, 'abe')).UserAttributes)['email_verified'], 'true');
    assert.equal((await getUser(aliasPool, 'abe@example.com')).Username, 'abe');
  });

  test('a preferred_username alias is unique as soon as it is set', async () => {
    const poolId = await newPool({ AliasAttributes: ['preferred_username'] });
    await createUser(poolId, 'ada', { preferred_username: 'countess' });
    await createUser(poolId, 'bob', { preferred_username: 'builder' });
    const taken = await captureError(() =>
      server.admin.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'bob',
          UserAttributes: [{ Name: 'preferred_username', Value: 'countess' }],
        }),
      ),
    );
    assert.equal(taken.name, 'AliasExistsException');
    assert.equal(taken.message, 'An account with the given preferred_username already exists.');
    await server.admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'bob',
        UserAttributes: [{ Name: 'preferred_username', Value: 'bobby' }],
      }),
    );
    assert.equal(attrs((await getUser(poolId, 'bob')).UserAttributes)['preferred_username'], 'bobby');
  });
});

describe('AdminDeleteUserAttributes', () => {
  test('removes attributes; required, unknown and immutable ones are refused', async () => {
    const poolId = await newPool({ Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true }] });
    await createUser(poolId, 'uma', { name: 'Uma', email: 'uma@example.com', email_verified: 'true', nickname: 'u' });
    await server.admin.send(
      new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'uma', UserAttributeNames: ['email', 'nickname'] }),
    );
    const a = attrs((await getUser(poolId, 'uma')).UserAttributes);
    assert.equal(a['email'], undefined);
    assert.equal(a['email_verified'], undefined);
    assert.equal(a['nickname'], undefined);
    assert.equal(a['name'], 'Uma');

    const remove = (names: string[]) =>
      captureError(() =>
        server.admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'uma', UserAttributeNames: names })),
      );
    const required = await remove(['name']);
    assert.equal(required.name, 'InvalidParameterException');
    // One wording for every deletion path (src/auth/user-attributes.ts checkDeletable); AWS's text is not captured.
    assert.equal(required.message, 'user.name: The attribute is required\n');
    const unknown = await remove(['shoe_size']);
    assert.equal(unknown.message, 'user.shoe_size: Attribute does not exist in the schema.\n');
    const sub = await remove(['sub']);
    assert.equal(sub.message, 'user.sub: Attribute cannot be updated.\n');
  });
});

describe('AdminSetUserPassword', () => {
  test('Permanent true confirms the user; false forces a change; the policy applies', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'vic');
    const set = (password: string, permanent?: boolean) =>
      server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'vic', Password: password, Permanent: permanent }));

    await set(PASSWORD, true);
    assert.equal((await getUser(poolId, 'vic')).UserStatus, 'CONFIRMED');
    const hash = (await storedUser(poolId, 'vic')).passwordHash;
    assert.ok(hash);

    await set('An0ther!pass', false);
    assert.equal((await getUser(poolId, 'vic')).UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.notEqual((await storedUser(poolId, 'vic')).passwordHash, hash);

    const weak = await captureError(() => set('short', true));
    assert.equal(weak.name, 'InvalidPasswordException');
    assert.equal(weak.message, 'Password does not conform to policy: Password not long enough');
  });
});

describe('AdminResetUserPassword', () => {
  test('puts a confirmed user in RESET_REQUIRED and sends a reset code to the verified email', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'wes', { email: 'wes@example.com', email_verified: 'true' });
    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'wes', Password: PASSWORD, Permanent: true }));
    await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'wes' }));
    assert.equal((await getUser(poolId, 'wes')).UserStatus, 'RESET_REQUIRED');
    const message = await server.lastMessage(poolId, 'wes', 'forgot-password');
    assert.equal(message?.destination, 'wes@example.com');
    assert.match(message?.code ?? '', /^\d{6}$/);
  });

  test('follows AccountRecoverySetting priorities', async () => {
    const poolId = await newPool({
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: 'verified_email', Priority: 2 },
          { Name: 'verified_phone_number', Priority: 1 },
        ],
      },
    });
    await createUser(poolId, 'xena', {
      email: 'xena@example.com',
      email_verified: 'true',
      phone_number: '+15550004444',
      phone_number_verified: 'true',
    });
    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'xena', Password: PASSWORD, Permanent: true }));
    await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'xena' }));
    const message = await server.lastMessage(poolId, 'xena', 'forgot-password');
    assert.equal(message?.medium, 'SMS');
    assert.equal(message?.destination, '+15550004444');
  });

  test('refuses users in FORCE_CHANGE_PASSWORD and users with nowhere to send the code', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'yara', { email: 'yara@example.com', email_verified: 'true' });
    const forced = await captureError(() => server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'yara' })));
    assert.equal(forced.name, 'NotAuthorizedException');
    assert.equal(forced.message, 'User password cannot be reset in the current state.');

    await createUser(poolId, 'zed', { email: 'zed@example.com' });
    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'zed', Password: PASSWORD, Permanent: true }));
    const nowhere = await captureError(() => server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'zed' })));
    assert.equal(nowhere.name, 'InvalidParameterException');
    assert.equal(nowhere.message, 'Cannot reset password for the user as there is no registered/verified email or phone_number');
    assert.equal((await getUser(poolId, 'zed')).UserStatus, 'CONFIRMED');
  });
});

describe('AdminConfirmSignUp', () => {
  test('confirms an UNCONFIRMED user once', async () => {
    const poolId = await newPool();
    await createUser(poolId, 'abe', { email: 'abe@example.com' });
    const stored = await storedUser(poolId, 'abe');
    await server.services.store.users.update({ ...stored, status: 'UNCONFIRMED' });

    await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'abe' }));
    const user = await getUser(poolId, 'abe');
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(attrs(user.UserAttributes)['email_verified'], undefined);

    const again = await captureError(() => server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'abe' })));
    assert.equal(again.name, 'NotAuthorizedException');
    assert.equal(again.message, 'User cannot be confirmed. Current status is CONFIRMED');

    const missing = await captureError(() => server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'ghost' })));
    assert.equal(missing.name, 'UserNotFoundException');
  });
});

describe('AdminUserGlobalSignOut', () => {
  test("refuses the user's tokens afterwards and revokes the refresh tokens", async () => {
    const poolId = await newPool();
    await createUser(poolId, 'bea');
    const { accessToken, refreshToken } = await signIn(poolId, 'bea');
    const before = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
    assert.equal(before.Username, 'bea');

    await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'bea' }));
    const error = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: accessToken })));
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, 'Access Token has been revoked');
    assert.equal((await accessTokenError(accessToken)).message, 'Access Token has been revoked');
    assert.equal(typeof (await server.services.store.refreshTokens.get(sha256Hex(refreshToken)))?.revokedAt, 'number');
    // The user can still be read and signs in afresh.
    assert.equal((await getUser(poolId, 'bea')).Enabled, true);

    const missing = await captureError(() =>
      server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'ghost' })),
    );
    assert.equal(missing.name, 'UserNotFoundException');
    assert.equal(missing.message, 'User does not exist.');
  });
});

describe('sign-in honours what the admin operations set', () => {
  test('temporary password, permanent password, reset and disable', async () => {
    const poolId = await newPool();
    const { UserPoolClient } = await server.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'admin-auth',
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      }),
    );
    const signInWith = (password: string) =>
      server.admin.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: UserPoolClient!.ClientId!,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'cleo', PASSWORD: password },
        }),
      );
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'cleo',
        TemporaryPassword: 'Temp0rary!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'cleo@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    assert.equal((await signInWith('Temp0rary!')).ChallengeName, 'NEW_PASSWORD_REQUIRED');

    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'cleo', Password: PASSWORD, Permanent: true }));
    assert.ok((await signInWith(PASSWORD)).AuthenticationResult?.AccessToken);

    await server.admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'cleo' }));
    const reset = await captureError(() => signInWith(PASSWORD));
    assert.equal(reset.name, 'PasswordResetRequiredException');

    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'cleo', Password: PASSWORD, Permanent: true }));
    await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'cleo' }));
    const disabled = await captureError(() => signInWith(PASSWORD));
    assert.equal(disabled.name, 'NotAuthorizedException');
    assert.equal(disabled.message, 'User is disabled.');
  });
});
