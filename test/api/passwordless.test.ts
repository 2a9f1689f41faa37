import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserAuthFactorsCommand,
  AdminInitiateAuthCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { functionArn, moduleFunctions } from '../support/functions.js';
import { createClient, createPool, decodePayload, putUser, type TestClient } from './auth-fixtures.js';

/*
 * Passwordless first factors of USER_AUTH through the AWS SDK v3: EMAIL_OTP and SMS_OTP, their
 * codes read back from the local inbox.
 */

const clock = FrozenClock.atNow();
let server: TestServer;
let poolId: string;
let client: TestClient;
let hidingClient: TestClient;

const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'] as const;

before(async () => {
  server = await startTestServer({}, { clock });
  poolId = await createPool(server, {
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
    SmsAuthenticationMessage: 'Sign in with {####}',
  });
  client = await createClient(server, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'LEGACY' });
  hidingClient = await createClient(server, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'ENABLED' });
});
after(() => server.stop());

let counter = 0;
async function newUser(attributes: 'email' | 'phone' | 'both' = 'both'): Promise<string> {
  counter += 1;
  const username = `otp${counter}`;
  await putUser(server, poolId, {
    username,
    attributes: {
      ...(attributes !== 'phone' ? { email: `${username}@example.com`, email_verified: 'true' } : {}),
      ...(attributes !== 'email' ? { phone_number: `+1555000${String(1000 + counter)}`, phone_number_verified: 'true' } : {}),
    },
  });
  return username;
}

function userAuth(parameters: Record<string, string>, clientId = client.clientId): InitiateAuthCommand {
  return new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: parameters });
}

function respond(name: 'SELECT_CHALLENGE' | 'EMAIL_OTP' | 'SMS_OTP', session: string | undefined, responses: Record<string, string>) {
  return new RespondToAuthChallengeCommand({
    ClientId: client.clientId,
    ChallengeName: name,
    Session: session,
    ChallengeResponses: responses,
  });
}

async function inboxCode(username: string, purpose: string): Promise<{ code: string; message: string; subject: string | null }> {
  const message = await server.lastMessage(poolId, username, purpose);
  assert.ok(message?.code, `a ${purpose} code for ${username} in the inbox`);
  return { code: message.code, message: message.message, subject: message.subject };
}

function assertSignedIn(response: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput, username: string): void {
  assert.equal(response.ChallengeName, undefined);
  assert.deepEqual(response.ChallengeParameters, {});
  assert.equal(decodePayload(response.AuthenticationResult!.AccessToken!)['username'], username);
}

test('the pool stores and describes SignInPolicy.AllowedFirstAuthFactors', async () => {
  const described = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.deepEqual(described.UserPool!.Policies!.SignInPolicy, { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] });
});

test('SELECT_CHALLENGE offers the code factors the user can receive', async () => {
  const both = await newUser('both');
  const emailOnly = await newUser('email');
  const offered = await server.anonymous.send(userAuth({ USERNAME: both }));
  assert.deepEqual(offered.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
  const fewer = await server.anonymous.send(userAuth({ USERNAME: emailOnly }));
  assert.deepEqual(fewer.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
  // A preference the user cannot receive gets the list.
  const noPhone = await server.anonymous.send(userAuth({ USERNAME: emailOnly, PREFERRED_CHALLENGE: 'SMS_OTP' }));
  assert.equal(noPhone.ChallengeName, 'SELECT_CHALLENGE');
});

test('PREFERRED_CHALLENGE EMAIL_OTP sends a code by email, and the code signs in once', async () => {
  const username = await newUser();
  const asked = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
  assert.equal(asked.ChallengeName, 'EMAIL_OTP');
  assert.deepEqual(asked.ChallengeParameters, {
    CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
    CODE_DELIVERY_DESTINATION: 'o***@e***',
  });
  assert.equal(typeof asked.Session, 'string');
  const { code, subject, message } = await inboxCode(username, 'sign-in:EMAIL_OTP');
  assert.match(code, /^\d{6}$/);
  assert.equal(subject, 'Your authentication code');
  assert.equal(message, `Your authentication code is ${code}. `);

  const signedIn = await server.anonymous.send(respond('EMAIL_OTP', asked.Session, { USERNAME: username, EMAIL_OTP_CODE: code }));
  assertSignedIn(signedIn, username);

  // The code is spent with the sign-in: the same answer again fails.
  const again = await captureError(() =>
    server.anonymous.send(respond('EMAIL_OTP', asked.Session, { USERNAME: username, EMAIL_OTP_CODE: code })),
  );
  assert.equal(again.name, 'CodeMismatchException');
  assert.equal(again.message, 'Invalid code or auth state for the user.');
});

test('SELECT_CHALLENGE answered SMS_OTP sends the pool SmsAuthenticationMessage, answered with SMS_OTP_CODE', async () => {
  const username = await newUser();
  const choice = await server.anonymous.send(userAuth({ USERNAME: username }));
  const asked = await server.anonymous.send(respond('SELECT_CHALLENGE', choice.Session, { USERNAME: username, ANSWER: 'SMS_OTP' }));
  assert.equal(asked.ChallengeName, 'SMS_OTP');
  assert.equal(asked.ChallengeParameters!['CODE_DELIVERY_DELIVERY_MEDIUM'], 'SMS');
  assert.match(asked.ChallengeParameters!['CODE_DELIVERY_DESTINATION']!, /^\+\*+\d{4}$/);
  const { code, message } = await inboxCode(username, 'sign-in:SMS_OTP');
  assert.equal(message, `Sign in with ${code}`);

  const missing = await captureError(() => server.anonymous.send(respond('SMS_OTP', asked.Session, { USERNAME: username })));
  assert.equal(missing.name, 'InvalidParameterException');
  assert.equal(missing.message, 'Missing required parameter SMS_OTP_CODE');

  assertSignedIn(await server.anonymous.send(respond('SMS_OTP', asked.Session, { USERNAME: username, SMS_OTP_CODE: code })), username);
});

test('a wrong code is CodeMismatchException and may be corrected; the third wrong code ends the sign-in', async () => {
  const username = await newUser();
  const asked = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
  const { code } = await inboxCode(username, 'sign-in:EMAIL_OTP');
  const wrongCode = code === '000000' ? '111111' : '000000';
  const wrong = await captureError(() =>
    server.anonymous.send(respond('EMAIL_OTP', asked.Session, { USERNAME: username, EMAIL_OTP_CODE: wrongCode })),
  );
  assert.equal(wrong.name, 'CodeMismatchException');
  assert.equal(wrong.message, 'Invalid code or auth state for the user.');
  assertSignedIn(await server.anonymous.send(respond('EMAIL_OTP', asked.Session, { USERNAME: username, EMAIL_OTP_CODE: code })), username);

  const second = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
  const { code: secondCode } = await inboxCode(username, 'sign-in:EMAIL_OTP');
  const otherWrong = secondCode === '000000' ? '111111' : '000000';
  // Three guesses race: all are counted, none may be compared past the limit.
  const guesses = await Promise.all(
    [1, 2, 3].map(() =>
      captureError(() => server.anonymous.send(respond('EMAIL_OTP', second.Session, { USERNAME: username, EMAIL_OTP_CODE: otherWrong }))),
    ),
  );
  assert.deepEqual(
    guesses.map((g) => g.name),
    ['CodeMismatchException', 'CodeMismatchException', 'CodeMismatchException'],
  );
  const over = await captureError(() =>
    server.anonymous.send(respond('EMAIL_OTP', second.Session, { USERNAME: username, EMAIL_OTP_CODE: secondCode })),
  );
  assert.equal(over.name, 'NotAuthorizedException');
  assert.equal(over.message, 'Invalid session for the user.');
});

test('the code session lasts three minutes', async () => {
  const username = await newUser();
  const asked = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
  const { code } = await inboxCode(username, 'sign-in:EMAIL_OTP');
  const expired = await clock.travel(3 * 60_000 + 1000, () =>
    captureError(() => server.anonymous.send(respond('EMAIL_OTP', asked.Session, { USERNAME: username, EMAIL_OTP_CODE: code }))),
  );
  assert.equal(expired.name, 'NotAuthorizedException');
  assert.equal(expired.message, 'Invalid session for the user, session is expired.');
});

test('a code session belongs to its user and its challenge', async () => {
  const username = await newUser();
  const other = await newUser();
  const asked = await server.anonymous.send(userAuth({ USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
  const { code } = await inboxCode(username, 'sign-in:EMAIL_OTP');
  const otherUser = await captureError(() =>
    server.anonymous.send(respond('EMAIL_OTP', asked.Session, { USERNAME: other, EMAIL_OTP_CODE: code })),
  );
  assert.equal(otherUser.name, 'NotAuthorizedException');
  assert.equal(otherUser.message, 'Invalid session for the user.');
  const otherChallenge = await captureError(() =>
    server.anonymous.send(respond('SMS_OTP', asked.Session, { USERNAME: username, SMS_OTP_CODE: code })),
  );
  assert.equal(otherChallenge.name, 'InvalidParameterException');
});

test('an unknown name: UserNotFoundException, or with hidden existence a challenge whose code never works', async () => {
  const legacy = await captureError(() => server.anonymous.send(userAuth({ USERNAME: 'nobody', PREFERRED_CHALLENGE: 'EMAIL_OTP' })));
  assert.equal(legacy.name, 'UserNotFoundException');

  const hidden = await server.anonymous.send(
    userAuth({ USERNAME: 'nobody@example.org', PREFERRED_CHALLENGE: 'EMAIL_OTP' }, hidingClient.clientId),
  );
  assert.equal(hidden.ChallengeName, 'EMAIL_OTP');
  assert.deepEqual(hidden.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'n***@e***' });
  const guess = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: hidingClient.clientId,
        ChallengeName: 'EMAIL_OTP',
        Session: hidden.Session,
        ChallengeResponses: { USERNAME: 'nobody@example.org', EMAIL_OTP_CODE: '123456' },
      }),
    ),
  );
  assert.equal(guess.name, 'CodeMismatchException');
});

test('AdminInitiateAuth USER_AUTH runs the code factors too', async () => {
  const username = await newUser();
  const asked = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    }),
  );
  assert.equal(asked.ChallengeName, 'EMAIL_OTP');
  assert.ok(await server.lastMessage(poolId, username, 'sign-in:EMAIL_OTP'));
});

test('AdminGetUserAuthFactors reports the code factors the user can sign in with', async () => {
  const both = await newUser('both');
  const emailOnly = await newUser('email');
  const factors = await server.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: both }));
  assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
  const fewer = await server.admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: emailOnly }));
  assert.deepEqual(fewer.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP']);
});

test('the custom message trigger writes the sign-in code message as CustomMessage_Authentication', async () => {
  // AWS's custom message example, keyed on the trigger source.
  const functions = moduleFunctions({
    'sign-in-message': `
export const handler = async (event) => {
  if (event.triggerSource === 'CustomMessage_Authentication') {
    event.response.emailSubject = 'Sign in to the service';
    event.response.emailMessage = 'Hello ' + event.request.userAttributes.email + ', your code is ' + event.request.codeParameter +
      ' (' + event.callerContext.clientId + ', ' + JSON.stringify(event.request.clientMetadata ?? null) + ')';
  }
  return event;
};`,
  });
  const triggered = await startTestServer({ functions });
  try {
    const pool = await createPool(triggered, {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
      LambdaConfig: { CustomMessage: functionArn('sign-in-message') },
      // As on AWS, a custom message may rewrite email only for a pool that sends through SES.
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com',
      },
    });
    const app = await createClient(triggered, pool, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await putUser(triggered, pool, { username: 'carol', attributes: { email: 'carol@example.com', email_verified: 'true' } });
    const asked = await triggered.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: app.clientId,
        AuthParameters: { USERNAME: 'carol', PREFERRED_CHALLENGE: 'EMAIL_OTP' },
        ClientMetadata: { campaign: 'spring' },
      }),
    );
    assert.equal(asked.ChallengeName, 'EMAIL_OTP');
    const message = await triggered.lastMessage(pool, 'carol', 'sign-in:EMAIL_OTP');
    assert.ok(message?.code, 'a sign-in code in the inbox');
    assert.equal(message.subject, 'Sign in to the service');
    // InitiateAuth's ClientMetadata goes only to pre authentication and user migration (AWS's API
    // reference), so the message sent during InitiateAuth gets none.
    assert.equal(message.message, `Hello carol@example.com, your code is ${message.code} (${app.clientId}, null)`);
  } finally {
    await triggered.stop();
  }
});
