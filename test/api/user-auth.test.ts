import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserAuthFactorsCommand,
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser, secretHash, type TestClient } from './auth-fixtures.js';
import { passwordVerifierResponses, poolNameOf, srpExchange, type SrpSignIn } from './srp-fixtures.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock, so tests
// that move it put it back.
const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;

const USER_AUTH_FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  client = await createClient(server, poolId, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
});
after(() => server.stop());

let counter = 0;
function uniqueName(prefix = 'choice'): string {
  counter += 1;
  return `${prefix}${counter}`;
}

function userAuth(parameters: Record<string, string>, extra: { clientId?: string; session?: string } = {}): InitiateAuthCommand {
  return new InitiateAuthCommand({
    AuthFlow: 'USER_AUTH',
    ClientId: extra.clientId ?? client.clientId,
    AuthParameters: parameters,
    ...(extra.session !== undefined ? { Session: extra.session } : {}),
  });
}

function respond(name: 'SELECT_CHALLENGE' | 'PASSWORD' | 'PASSWORD_SRP', session: string | undefined, responses: Record<string, string>) {
  return new RespondToAuthChallengeCommand({
    ClientId: client.clientId,
    ChallengeName: name,
    Session: session,
    ChallengeResponses: responses,
  });
}

function assertSignedIn(response: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput, username: string): void {
  assert.equal(response.ChallengeName, undefined);
  assert.deepEqual(response.ChallengeParameters, {});
  const result = response.AuthenticationResult!;
  assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType']);
  assert.equal(decodePayload(result.IdToken!)['cognito:username'], username);
  assert.equal(decodePayload(result.AccessToken!)['client_id'], client.clientId);
}

// ---------------------------------------------------------------- USER_AUTH and SELECT_CHALLENGE

test('USER_AUTH without a preference answers SELECT_CHALLENGE with the available first factors', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const response = await server.anonymous.send(userAuth({ USERNAME: username }));
  assert.equal(response.ChallengeName, 'SELECT_CHALLENGE');
  assert.deepEqual(response.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
  assert.deepEqual(response.ChallengeParameters, {});
  assert.equal(typeof response.Session, 'string');
  assert.ok(response.Session!.length >= 20);
  assert.equal(response.AuthenticationResult, undefined);
});

test('SELECT_CHALLENGE answered PASSWORD with the password signs in; the session is then spent', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));
  const answer = { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD };
  assertSignedIn(await server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, answer)), username);

  const again = await captureError(() => server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, answer)));
  assert.equal(again.name, 'NotAuthorizedException');
  assert.equal(again.message, 'Invalid session for the user.');
});

test('SELECT_CHALLENGE answered PASSWORD alone asks for the PASSWORD challenge, which signs in', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));
  const asked = await server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD' }));
  assert.equal(asked.ChallengeName, 'PASSWORD');
  assert.deepEqual(asked.ChallengeParameters, {});
  assert.equal(typeof asked.Session, 'string');
  assert.notEqual(asked.Session, choice.Session);

  // The PASSWORD session answers only the PASSWORD challenge.
  const wrongChallenge = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', asked.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD })),
  );
  assert.equal(wrongChallenge.name, 'InvalidParameterException');

  const missing = await captureError(() => server.anonymous.send(respond('PASSWORD', asked.Session, { USERNAME: username })));
  assert.equal(missing.name, 'InvalidParameterException');
  assert.equal(missing.message, 'Missing required parameter PASSWORD');

  assertSignedIn(await server.anonymous.send(respond('PASSWORD', asked.Session, { USERNAME: username, PASSWORD })), username);
});

test('SELECT_CHALLENGE refuses an answer that was not offered, a wrong password, and another user', async () => {
  const username = uniqueName();
  const other = uniqueName();
  await putUser(server, poolId, { username });
  await putUser(server, poolId, { username: other });
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));

  const notOffered = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'EMAIL_OTP' })),
  );
  assert.equal(notOffered.name, 'InvalidParameterException');
  assert.equal(notOffered.message, 'EMAIL_OTP is not an available challenge for this user.');

  const noAnswer = await captureError(() => server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username })));
  assert.equal(noAnswer.name, 'InvalidParameterException');
  assert.equal(noAnswer.message, 'Missing required parameter ANSWER');

  const wrong = await captureError(() =>
    server.anonymous.send(
      respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD: 'Wrong-Horse-1' }),
    ),
  );
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, 'Incorrect username or password.');

  const otherUser = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: other, ANSWER: 'PASSWORD', PASSWORD })),
  );
  assert.equal(otherUser.name, 'NotAuthorizedException');
  assert.equal(otherUser.message, 'Invalid session for the user.');

  const noSession = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', undefined, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD })),
  );
  assert.equal(noSession.name, 'NotAuthorizedException');
  assert.equal(noSession.message, 'Invalid session for the user.');

  // A refused answer leaves the session usable.
  assertSignedIn(
    await server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD })),
    username,
  );
});

test('a SELECT_CHALLENGE session expires after the client AuthSessionValidity', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));
  const expired = await clock.travel(3 * 60_000 + 1000, () =>
    captureError(() =>
      server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD })),
    ),
  );
  assert.equal(expired.name, 'NotAuthorizedException');
  assert.equal(expired.message, 'Invalid session for the user, session is expired.');
});

test('PREFERRED_CHALLENGE PASSWORD with the password signs in at once', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  const response = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }));
  assertSignedIn(response, username);
  assert.equal(response.AvailableChallenges, undefined);
  assert.equal(decodePayload(response.AuthenticationResult!.IdToken!)['email'], `${username}@example.com`);

  const wrong = await captureError(() =>
    server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-Horse-1' })),
  );
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, 'Incorrect username or password.');
});

test('PREFERRED_CHALLENGE PASSWORD without the password asks for it', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const asked = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD' }));
  assert.equal(asked.ChallengeName, 'PASSWORD');
  assert.deepEqual(asked.ChallengeParameters, {});
  assertSignedIn(await server.anonymous.send(respond('PASSWORD', asked.Session, { USERNAME: username, PASSWORD })), username);
});

test('a preference the pool does not offer (a passwordless factor) gets the list to choose from', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const response = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
  assert.equal(response.ChallengeName, 'SELECT_CHALLENGE');
  assert.deepEqual(response.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
});

test('PASSWORD on a user with a temporary password leads to NEW_PASSWORD_REQUIRED', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username, status: 'FORCE_CHANGE_PASSWORD' });
  const response = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }));
  assert.equal(response.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.equal(response.ChallengeParameters!['USER_ID_FOR_SRP'], username);
  assert.equal(typeof response.Session, 'string');
});

test('PASSWORD on an unconfirmed or disabled user is refused after the password', async () => {
  const unconfirmed = uniqueName();
  const disabled = uniqueName();
  await putUser(server, poolId, { username: unconfirmed, status: 'UNCONFIRMED' });
  await putUser(server, poolId, { username: disabled, enabled: false });

  // The choice itself says nothing about the user's state.
  const choice = await server.anonymous.send(userAuth({ USERNAME: unconfirmed }));
  assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');

  const notConfirmed = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: unconfirmed, ANSWER: 'PASSWORD', PASSWORD })),
  );
  assert.equal(notConfirmed.name, 'UserNotConfirmedException');
  assert.equal(notConfirmed.message, 'User is not confirmed.');

  const off = await captureError(() => server.anonymous.send(userAuth({ USERNAME: disabled, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })));
  assert.equal(off.name, 'NotAuthorizedException');
  assert.equal(off.message, 'User is disabled.');
});

test('an unknown user: LEGACY says so, ENABLED offers the same choice and then fails as a wrong password', async () => {
  const legacy = await captureError(() => server.anonymous.send(userAuth({ USERNAME: 'nobody-here' })));
  assert.equal(legacy.name, 'UserNotFoundException');
  assert.equal(legacy.message, 'User does not exist.');

  const hiding = await createClient(server, poolId, { ExplicitAuthFlows: [...USER_AUTH_FLOWS], PreventUserExistenceErrors: 'ENABLED' });
  const choice = await server.anonymous.send(userAuth({ USERNAME: 'nobody-here' }, { clientId: hiding.clientId }));
  assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
  assert.deepEqual(choice.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
  assert.deepEqual(choice.ChallengeParameters, {});

  const answered = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: hiding.clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: choice.Session,
        ChallengeResponses: { USERNAME: 'nobody-here', ANSWER: 'PASSWORD', PASSWORD },
      }),
    ),
  );
  assert.equal(answered.name, 'NotAuthorizedException');
  assert.equal(answered.message, 'Incorrect username or password.');

  const direct = await captureError(() =>
    server.anonymous.send(userAuth({ USERNAME: 'nobody-here', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }, { clientId: hiding.clientId })),
  );
  assert.equal(direct.name, 'NotAuthorizedException');
  assert.equal(direct.message, 'Incorrect username or password.');
});

test('USER_AUTH needs ALLOW_USER_AUTH on the client, USERNAME, and the SECRET_HASH of a client with a secret', async () => {
  const passwordOnly = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const notEnabled = await captureError(() => server.anonymous.send(userAuth({ USERNAME: 'x' }, { clientId: passwordOnly.clientId })));
  assert.equal(notEnabled.name, 'InvalidParameterException');
  assert.equal(notEnabled.message, 'USER_AUTH flow not enabled for this client');

  const noUsername = await captureError(() => server.anonymous.send(userAuth({ PREFERRED_CHALLENGE: 'PASSWORD' })));
  assert.equal(noUsername.name, 'InvalidParameterException');
  assert.equal(noUsername.message, 'Missing required parameter USERNAME');

  const username = uniqueName();
  await putUser(server, poolId, { username });
  const secret = await createClient(server, poolId, { ExplicitAuthFlows: [...USER_AUTH_FLOWS], GenerateSecret: true });
  const noHash = await captureError(() => server.anonymous.send(userAuth({ USERNAME: username }, { clientId: secret.clientId })));
  assert.equal(noHash.name, 'NotAuthorizedException');
  assert.equal(noHash.message, `Client ${secret.clientId} is configured for secret but secret was not received`);

  const SECRET_HASH = secretHash(secret.clientSecret!, username, secret.clientId);
  const choice = await server.anonymous.send(userAuth({ USERNAME: username, SECRET_HASH }, { clientId: secret.clientId }));
  const signedIn = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: secret.clientId,
      ChallengeName: 'SELECT_CHALLENGE',
      Session: choice.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD, SECRET_HASH },
    }),
  );
  assert.equal(decodePayload(signedIn.AuthenticationResult!.AccessToken!)['username'], username);

  // A session belongs to the client that started the sign-in.
  const crossClient = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD })),
  );
  assert.equal(crossClient.name, 'NotAuthorizedException');
  assert.equal(crossClient.message, 'Invalid session for the user.');
});

test('AdminInitiateAuth runs USER_AUTH too', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const response = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
    }),
  );
  assert.equal(decodePayload(response.AuthenticationResult!.IdToken!)['cognito:username'], username);

  const choice = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: username },
    }),
  );
  assert.equal(choice.ChallengeName, 'SELECT_CHALLENGE');
  assert.deepEqual(choice.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
});

// ---------------------------------------------------------------- PASSWORD_SRP

/** Answers PASSWORD_VERIFIER for a challenge that USER_AUTH led to, as USER_SRP_AUTH clients do. */
async function proveSrp(
  exchange: SrpSignIn['exchange'],
  challenge: { ChallengeParameters?: Record<string, string>; Session?: string },
  password = PASSWORD,
) {
  const signIn: SrpSignIn = { exchange, initiated: {} as SrpSignIn['initiated'], params: challenge.ChallengeParameters ?? {} };
  const responses = await passwordVerifierResponses(server, signIn, password);
  return server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: challenge.Session,
      ChallengeResponses: responses,
    }),
  );
}

function assertPasswordVerifier(
  response: { ChallengeName?: string; ChallengeParameters?: Record<string, string> },
  username: string,
): void {
  assert.equal(response.ChallengeName, 'PASSWORD_VERIFIER');
  const params = response.ChallengeParameters!;
  assert.deepEqual(Object.keys(params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  assert.equal(params['USERNAME'], username);
  assert.equal(params['USER_ID_FOR_SRP'], username);
  assert.match(params['SALT']!, /^[0-9a-f]+$/);
}

test('PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER, whose proof signs in', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const exchange = await srpExchange(poolNameOf(poolId));
  const challenge = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: exchange.A }));
  assertPasswordVerifier(challenge, username);
  assertSignedIn(await proveSrp(exchange, challenge), username);
});

test('SELECT_CHALLENGE answered PASSWORD_SRP with SRP_A continues as USER_SRP_AUTH; a wrong proof is refused', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));
  const exchange = await srpExchange(poolNameOf(poolId));
  const challenge = await server.anonymous.send(
    respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD_SRP', SRP_A: exchange.A }),
  );
  assertPasswordVerifier(challenge, username);
  const wrong = await captureError(() => proveSrp(exchange, challenge, 'Wrong-Horse-1'));
  assert.equal(wrong.name, 'NotAuthorizedException');
  assert.equal(wrong.message, 'Incorrect username or password.');

  // The spent choice cannot start a second exchange.
  const again = await captureError(() =>
    server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD_SRP', SRP_A: exchange.A })),
  );
  assert.equal(again.message, 'Invalid session for the user.');
});

test('SELECT_CHALLENGE answered PASSWORD_SRP alone asks for the PASSWORD_SRP challenge, which takes SRP_A', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));
  const asked = await server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'PASSWORD_SRP' }));
  assert.equal(asked.ChallengeName, 'PASSWORD_SRP');
  assert.deepEqual(asked.ChallengeParameters, {});

  const missing = await captureError(() => server.anonymous.send(respond('PASSWORD_SRP', asked.Session, { USERNAME: username })));
  assert.equal(missing.name, 'InvalidParameterException');
  assert.equal(missing.message, 'Missing required parameter SRP_A');

  const exchange = await srpExchange(poolNameOf(poolId));
  const challenge = await server.anonymous.send(respond('PASSWORD_SRP', asked.Session, { USERNAME: username, SRP_A: exchange.A }));
  assertPasswordVerifier(challenge, username);
  assertSignedIn(await proveSrp(exchange, challenge), username);
});

// ---------------------------------------------------------------- sign-up sessions

async function signUpWithSession(target: TestClient, username: string): Promise<{ signUpSession: string | undefined; code: string }> {
  const response = await server.anonymous.send(
    new SignUpCommand({
      ClientId: target.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }),
  );
  const message = await server.lastMessage(poolId, username, 'signup');
  return { signUpSession: response.Session, code: message!.code! };
}

test('SignUp and ConfirmSignUp return sessions that let USER_AUTH sign in without a password, once', async () => {
  const username = uniqueName('newcomer');
  const { signUpSession, code } = await signUpWithSession(client, username);
  assert.equal(typeof signUpSession, 'string');

  // The sign-up session is for ConfirmSignUp, not for signing in.
  const early = await captureError(() => server.anonymous.send(userAuth({ USERNAME: username }, { session: signUpSession! })));
  assert.equal(early.name, 'NotAuthorizedException');
  assert.equal(early.message, 'Invalid session for the user.');

  const confirmed = await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: client.clientId, Username: username, ConfirmationCode: code, Session: signUpSession }),
  );
  assert.equal(typeof confirmed.Session, 'string');
  assert.notEqual(confirmed.Session, signUpSession);

  const signedIn = await server.anonymous.send(userAuth({ USERNAME: username }, { session: confirmed.Session! }));
  assertSignedIn(signedIn, username);
  assert.equal(decodePayload(signedIn.AuthenticationResult!.IdToken!)['email_verified'], true);

  const reused = await captureError(() => server.anonymous.send(userAuth({ USERNAME: username }, { session: confirmed.Session! })));
  assert.equal(reused.name, 'NotAuthorizedException');
  assert.equal(reused.message, 'Invalid session for the user.');
});

test('a ConfirmSignUp session is bound to its user and client and expires', async () => {
  const username = uniqueName('newcomer');
  const other = uniqueName();
  await putUser(server, poolId, { username: other });
  const { code } = await signUpWithSession(client, username);
  const confirmed = await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: client.clientId, Username: username, ConfirmationCode: code }),
  );
  const session = confirmed.Session!;

  const otherUser = await captureError(() => server.anonymous.send(userAuth({ USERNAME: other }, { session })));
  assert.equal(otherUser.name, 'NotAuthorizedException');
  assert.equal(otherUser.message, 'Invalid session for the user.');

  const sibling = await createClient(server, poolId, { ExplicitAuthFlows: [...USER_AUTH_FLOWS] });
  const otherClient = await captureError(() =>
    server.anonymous.send(userAuth({ USERNAME: username }, { clientId: sibling.clientId, session })),
  );
  assert.equal(otherClient.name, 'NotAuthorizedException');
  assert.equal(otherClient.message, 'Invalid session for the user.');

  const garbage = await captureError(() => server.anonymous.send(userAuth({ USERNAME: username }, { session: 'x'.repeat(40) })));
  assert.equal(garbage.name, 'NotAuthorizedException');
  assert.equal(garbage.message, 'Invalid session for the user.');

  const expired = await clock.travel(3 * 60_000 + 1000, () =>
    captureError(() => server.anonymous.send(userAuth({ USERNAME: username }, { session }))),
  );
  assert.equal(expired.name, 'NotAuthorizedException');
  assert.equal(expired.message, 'Invalid session for the user, session is expired.');
});

test('ConfirmSignUp refuses a SignUp session of another user', async () => {
  const first = uniqueName('newcomer');
  const second = uniqueName('newcomer');
  const a = await signUpWithSession(client, first);
  const b = await signUpWithSession(client, second);
  const refused = await captureError(() =>
    server.anonymous.send(
      new ConfirmSignUpCommand({ ClientId: client.clientId, Username: second, ConfirmationCode: b.code, Session: a.signUpSession }),
    ),
  );
  assert.equal(refused.name, 'NotAuthorizedException');
  assert.equal(refused.message, 'Invalid session for the user.');
});

test('clients without ALLOW_USER_AUTH get no sign-up sessions', async () => {
  const passwordOnly = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const username = uniqueName('newcomer');
  const { signUpSession, code } = await signUpWithSession(passwordOnly, username);
  assert.equal(signUpSession, undefined);
  const confirmed = await server.anonymous.send(
    new ConfirmSignUpCommand({ ClientId: passwordOnly.clientId, Username: username, ConfirmationCode: code }),
  );
  assert.equal(confirmed.Session, undefined);
});

// ---------------------------------------------------------------- GetUserAuthFactors

test('GetUserAuthFactors and AdminGetUserAuthFactors list the configured factors', async () => {
  const username = uniqueName();
  await putUser(server, poolId, { username });
  const signedIn = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }));
  const factors = await server.anonymous.send(new GetUserAuthFactorsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
  assert.equal(factors.Username, username);
  assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD']);
  assert.equal(factors.PreferredMfaSetting, undefined);
  assert.equal(factors.UserMFASettingList, undefined);

  const admin = await server.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: username }));
  assert.equal(admin.Username, username);
  assert.deepEqual(admin.ConfiguredUserAuthFactors, ['PASSWORD']);

  const badToken = await captureError(() => server.anonymous.send(new GetUserAuthFactorsCommand({ AccessToken: 'not-a-token' })));
  assert.equal(badToken.name, 'NotAuthorizedException');
  assert.equal(badToken.message, 'Invalid Access Token');

  const unknown = await captureError(() =>
    server.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'nobody-here' })),
  );
  assert.equal(unknown.name, 'UserNotFoundException');
  assert.equal(unknown.message, 'User does not exist.');

  const unsigned = await captureError(() =>
    server.anonymous.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: username })),
  );
  assert.equal(unsigned.name, 'UnrecognizedClientException');
});
