import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type AttributeType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import type { UserRecord } from '../../src/store/ports.js';
import { secretHash } from './auth-fixtures.js';
import { issueTokens } from '../../src/tokens/issue.js';
import { resolveUser } from '../../src/auth/resolve-user.js';

/** Shared set-up of the sign-up and self-service tests. */

export const PASSWORD = 'Correct-Horse-9';

/** A pool whose verification and invitation emails use templates with `{username}` and `{####}`. */
export const TEMPLATED: Partial<CreateUserPoolCommandInput> = {
  AutoVerifiedAttributes: ['email'],
  VerificationMessageTemplate: {
    DefaultEmailOption: 'CONFIRM_WITH_CODE',
    EmailSubject: 'Code for {username}',
    EmailMessage: 'Hello {username}, your code is {####}.',
  },
  AdminCreateUserConfig: {
    InviteMessageTemplate: { EmailSubject: 'Welcome {username}', EmailMessage: 'Sign in as {username} with {####} today.' },
  },
};

export async function createPool(server: TestServer, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  // Cognito wants an SMS role before it will verify phone numbers.
  const sms = input.AutoVerifiedAttributes?.includes('phone_number')
    ? { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms', ExternalId: 'cognate-tests' } }
    : {};
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'self-service', ...sms, ...input }));
  return created.UserPool!.Id!;
}

export interface TestClient {
  clientId: string;
  clientSecret: string | undefined;
  /** SecretHash for a username, when the client has a secret. */
  hash(username: string): string | undefined;
}

export async function createClient(
  server: TestServer,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<TestClient> {
  const created = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }));
  const clientId = created.UserPoolClient!.ClientId!;
  const clientSecret = created.UserPoolClient!.ClientSecret;
  return { clientId, clientSecret, hash: (username) => (clientSecret ? secretHash(clientSecret, username, clientId) : undefined) };
}

/** The code of the newest inbox message for a user and purpose (fails the test when there is none). */
export async function codeFor(server: TestServer, poolId: string, username: string, purpose: string): Promise<string> {
  const message = await server.lastMessage(poolId, username, purpose);
  assert.ok(message?.code, `a ${purpose} code was delivered to ${username}`);
  return message.code;
}

/** The stored user a sign-in name refers to. */
export async function storedUser(server: TestServer, poolId: string, name: string): Promise<UserRecord> {
  const pool = (await server.services.store.pools.get(poolId))!;
  const user = await resolveUser(server.services, pool, name);
  assert.ok(user, `user ${name} exists`);
  return user;
}

/** A confirmed user with a verified email (`<username>@example.com`), created by an administrator without an invitation. */
export async function confirmedUser(server: TestServer, poolId: string, username: string, password = PASSWORD): Promise<void> {
  await adminCreatedUser(server, poolId, username, { email: `${username}@example.com`, email_verified: 'true' }, password);
}

/** A confirmed user with these attributes and a permanent password, created by an administrator without an invitation. */
export async function adminCreatedUser(
  server: TestServer,
  poolId: string,
  username: string,
  attributes: Record<string, string>,
  password = PASSWORD,
): Promise<void> {
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
}

export function attributesOf(list: AttributeType[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((a) => [a.Name!, a.Value ?? '']));
}

/**
 * SignUp through the SDK as an app calls it: `client` (with its SecretHash when it has a secret),
 * PASSWORD, and `attributes` (by default the email `<username>@example.com`).
 */
export async function signUpUser(
  server: TestServer,
  client: string | TestClient,
  username: string,
  attributes: Record<string, string> = { email: `${username}@example.com` },
): Promise<void> {
  const clientId = typeof client === 'string' ? client : client.clientId;
  const hash = typeof client === 'string' ? undefined : client.hash(username);
  await server.anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      ...(hash === undefined ? {} : { SecretHash: hash }),
      Username: username,
      Password: PASSWORD,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

/** What ADMIN_USER_PASSWORD_AUTH answers for a name and password: the challenge asked, if any. */
export async function adminPasswordChallenge(
  server: TestServer,
  poolId: string,
  clientId: string,
  username: string,
  password: string,
): Promise<string | undefined> {
  const answer = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  return answer.ChallengeName;
}

/**
 * Signs a user up and confirms them through the API (the pool must auto-verify email or phone for
 * the confirmation code to exist). Returns the stored user.
 */
export async function signUpConfirmed(
  server: TestServer,
  poolId: string,
  client: TestClient,
  username: string,
  attributes: Record<string, string> = {},
  password = PASSWORD,
): Promise<UserRecord> {
  const signedUp = await server.anonymous.send(
    new SignUpCommand({
      ClientId: client.clientId,
      SecretHash: client.hash(username),
      Username: username,
      Password: password,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  const user = await storedUser(server, poolId, signedUp.UserSub!);
  const code = await codeFor(server, poolId, user.username, 'signup');
  await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: client.clientId, SecretHash: client.hash(username), Username: username, ConfirmationCode: code }),
  );
  return storedUser(server, poolId, user.sub);
}

/** Tokens for a stored user as a sign-in through `client` would issue them. */
export async function tokensFor(
  server: TestServer,
  poolId: string,
  clientId: string,
  user: UserRecord,
): Promise<{ AccessToken: string; RefreshToken: string; IdToken: string }> {
  const { services } = server;
  const pool = (await services.store.pools.get(poolId))!;
  const client = (await services.store.clients.get(poolId, clientId))!;
  const fresh = (await services.store.users.get(poolId, user.usernameKey))!;
  const result = await issueTokens(services, {
    source: 'TokenGeneration_Authentication',
    pool,
    client,
    user: fresh,
    authTime: services.clock.now(),
    refresh: 'new',
  });
  return { AccessToken: result.AccessToken!, RefreshToken: result.RefreshToken!, IdToken: result.IdToken! };
}
