import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserPoolClientSecretCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser, secretHash } from './auth-fixtures.js';
import { initiateSrp, passwordVerifierResponses } from './srp-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';

/*
 * A client may have two secrets (AddUserPoolClientSecret), so an app can rotate: every call that
 * proves knowledge of the secret must accept the second one as well as the first. Each test
 * below uses only the second secret, and first shows that a hash made with a secret the client
 * does not have is refused, so the check is made at all. SECRET_HASH is computed here, apart
 * from the code under test, as AWS documents it: Base64(HMAC-SHA256(secret, username + clientId)).
 */

const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let clientId: string;
/** The client's second secret, the only one these tests use. */
let second: string;
const WRONG_SECRET = 'asecretthisclientneverhad0123456789abcdefghijk';

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  const created = await createClient(server, poolId, {
    GenerateSecret: true,
    ExplicitAuthFlows: [
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_USER_AUTH',
    ],
  });
  clientId = created.clientId;
  const added = await server.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }));
  second = added.ClientSecretDescriptor!.ClientSecretValue!;
  assert.notEqual(second, created.clientSecret);
});
after(() => server.stop());

let seq = 0;
const uniqueName = (): string => `second${++seq}`;

function hash(username: string, secret = second): string {
  return secretHash(secret, username, clientId);
}

async function assertUnverified(fn: () => Promise<unknown>): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, 'NotAuthorizedException', error.message);
  assert.equal(error.message, `Unable to verify secret hash for client ${clientId}`);
  assert.equal(error.$metadata?.httpStatusCode, 400);
}

function assertTokens(result: AuthenticationResultType | undefined, username: string): AuthenticationResultType {
  assert.ok(result?.AccessToken && result.IdToken, 'tokens expected');
  assert.equal(decodePayload(result.IdToken)['cognito:username'], username);
  return result;
}

function passwordAuth(username: string, secret = second): InitiateAuthCommand {
  return new InitiateAuthCommand({
    ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: hash(username, secret) },
  });
}

async function signedInUser(): Promise<{ username: string; tokens: AuthenticationResultType }> {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  return { username, tokens: assertTokens((await server.anonymous.send(passwordAuth(username))).AuthenticationResult, username) };
}

test('InitiateAuth USER_PASSWORD_AUTH accepts the second secret', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  await assertUnverified(() => server.anonymous.send(passwordAuth(username, WRONG_SECRET)));
  assertTokens((await server.anonymous.send(passwordAuth(username))).AuthenticationResult, username);
});

test('AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH accepts the second secret', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const send = (secret: string) =>
    server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: hash(username, secret) },
      }),
    );
  await assertUnverified(() => send(WRONG_SECRET));
  assertTokens((await send(second)).AuthenticationResult, username);
});

test('InitiateAuth USER_SRP_AUTH and its PASSWORD_VERIFIER answer accept the second secret', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  await assertUnverified(() => initiateSrp(server, poolId, clientId, username, { SECRET_HASH: hash(username, WRONG_SECRET) }));
  const signIn = await initiateSrp(server, poolId, clientId, username, { SECRET_HASH: hash(username) });
  assert.equal(signIn.initiated.ChallengeName, 'PASSWORD_VERIFIER');
  const responses = await passwordVerifierResponses(server, signIn, PASSWORD);
  const respond = (secret: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: { ...responses, SECRET_HASH: hash(username, secret) },
      }),
    );
  await assertUnverified(() => respond(WRONG_SECRET));
  assertTokens((await respond(second)).AuthenticationResult, username);
});

test('InitiateAuth USER_AUTH and its SELECT_CHALLENGE answer accept the second secret', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const initiate = (secret: string) =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: username, SECRET_HASH: hash(username, secret) },
      }),
    );
  await assertUnverified(() => initiate(WRONG_SECRET));
  const choice = await initiate(second);
  assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
  const respond = (secret: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: choice.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD, SECRET_HASH: hash(username, secret) },
      }),
    );
  await assertUnverified(() => respond(WRONG_SECRET));
  assertTokens((await respond(second)).AuthenticationResult, username);
});

test('RespondToAuthChallenge NEW_PASSWORD_REQUIRED accepts the second secret', async () => {
  const username = uniqueName();
  const temporary = 'Temporary-Pass-1';
  await server.admin.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: temporary, MessageAction: 'SUPPRESS' }),
  );
  const challenge = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: temporary, SECRET_HASH: hash(username) },
    }),
  );
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  const respond = (secret: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: PASSWORD, SECRET_HASH: hash(username, secret) },
      }),
    );
  await assertUnverified(() => respond(WRONG_SECRET));
  assertTokens((await respond(second)).AuthenticationResult, username);
});

test('InitiateAuth REFRESH_TOKEN_AUTH accepts the second secret', async () => {
  const { username, tokens } = await signedInUser();
  // The refresh token's user is named by the `sub`, as the SDKs send it.
  const sub = String(decodePayload(tokens.IdToken!)['sub']);
  const refresh = (secret: string) =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, SECRET_HASH: hash(sub, secret) },
      }),
    );
  await assertUnverified(() => refresh(WRONG_SECRET));
  assertTokens((await refresh(second)).AuthenticationResult, username);
});

test('GetTokensFromRefreshToken accepts the second secret', async () => {
  const { username, tokens } = await signedInUser();
  const get = (ClientSecret: string) =>
    server.anonymous.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken!, ClientSecret }));
  await assertUnverified(() => get(WRONG_SECRET));
  assertTokens((await get(second)).AuthenticationResult, username);
});

test('RevokeToken accepts the second secret', async () => {
  const { tokens } = await signedInUser();
  const revoke = (ClientSecret: string) =>
    server.anonymous.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.RefreshToken!, ClientSecret }));
  const wrong = await captureError(() => revoke(WRONG_SECRET));
  assert.equal(wrong.name, 'UnauthorizedException', wrong.message);
  assert.equal(wrong.message, 'Invalid client or secret');
  await revoke(second);
  const refused = await captureError(() =>
    server.anonymous.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken!, ClientSecret: second }),
    ),
  );
  assert.equal(refused.name, 'NotAuthorizedException');
  assert.equal(refused.message, 'Refresh Token has been revoked');
});

test('SignUp, ResendConfirmationCode and ConfirmSignUp accept the second secret', async () => {
  const username = uniqueName();
  const signUp = (secret: string) =>
    server.anonymous.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        SecretHash: hash(username, secret),
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
  await assertUnverified(() => signUp(WRONG_SECRET));
  assert.equal((await signUp(second)).UserConfirmed, false);

  const resend = (secret: string) =>
    server.anonymous.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username, SecretHash: hash(username, secret) }),
    );
  await assertUnverified(() => resend(WRONG_SECRET));
  assert.equal((await resend(second)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');

  const code = (await server.lastMessage(poolId, username, 'signup'))?.code;
  assert.ok(code, 'a sign-up code in the inbox');
  const confirm = (secret: string) =>
    server.anonymous.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, SecretHash: hash(username, secret) }),
    );
  await assertUnverified(() => confirm(WRONG_SECRET));
  await confirm(second);
  assertTokens((await server.anonymous.send(passwordAuth(username))).AuthenticationResult, username);
});

test('ForgotPassword and ConfirmForgotPassword accept the second secret', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  const forgot = (secret: string) =>
    server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username, SecretHash: hash(username, secret) }));
  await assertUnverified(() => forgot(WRONG_SECRET));
  assert.equal((await forgot(second)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');

  const code = (await server.lastMessage(poolId, username, 'forgot-password'))?.code;
  assert.ok(code, 'a reset code in the inbox');
  const newPassword = 'Another-Horse-7';
  const confirm = (secret: string) =>
    server.anonymous.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: code,
        Password: newPassword,
        SecretHash: hash(username, secret),
      }),
    );
  await assertUnverified(() => confirm(WRONG_SECRET));
  await confirm(second);
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: newPassword, SECRET_HASH: hash(username) },
    }),
  );
  assertTokens(signedIn.AuthenticationResult, username);
});
