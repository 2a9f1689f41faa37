import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AssociateSoftwareTokenCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { totpAt } from '../support/totp.js';
import { PASSWORD, createClient, createPool, getUser, putUser } from './auth-fixtures.js';

let server: TestServer;
const clock = serverForTests((s) => (server = s));
let seq = 0;
// Tests move the clock by TOTP steps; each starts again at the real time, which SigV4 checks.
beforeEach(() => clock.set(Math.floor(Date.now() / 1000) * 1000));

const NO_FACTOR = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";
const OFF_WITH_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.";
const SMS_CONFIGURATION = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'cognate', SnsRegion: 'us-east-1' };
const DEVELOPER_EMAIL = {
  EmailSendingAccount: 'DEVELOPER' as const,
  SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com',
  From: 'no-reply@example.com',
};

/** A pool with an app client that allows password sign-in, and its MFA set as given. */
async function mfaPool(
  mfa: Omit<ConstructorParameters<typeof SetUserPoolMfaConfigCommand>[0], 'UserPoolId'>,
  pool: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, { PoolName: `mfa-${++seq}`, ...pool });
  await server.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

const TOTP_OPTIONAL = { MfaConfiguration: 'OPTIONAL' as const, SoftwareTokenMfaConfiguration: { Enabled: true } };

function signIn(clientId: string, username: string, password = PASSWORD): Promise<InitiateAuthCommandOutput> {
  return server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

/** Signs a user in without MFA and returns the access token. */
async function accessTokenOf(clientId: string, username: string): Promise<string> {
  const out = await signIn(clientId, username);
  assert.equal(out.ChallengeName, undefined, 'expected tokens, not a challenge');
  return out.AuthenticationResult!.AccessToken!;
}

/** Enrols an authenticator by access token (Associate + Verify) and returns its secret; moves the clock one step on. */
async function enrolTotp(accessToken: string, name?: string): Promise<string> {
  const { SecretCode } = await server.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  assert.match(SecretCode!, /^[A-Z2-7]{52}$/);
  const verified = await server.anonymous.send(
    new VerifySoftwareTokenCommand({
      AccessToken: accessToken,
      UserCode: totpAt(SecretCode!, clock.now()),
      ...(name ? { FriendlyDeviceName: name } : {}),
    }),
  );
  assert.deepEqual({ Status: verified.Status, Session: verified.Session }, { Status: 'SUCCESS', Session: undefined });
  // The step just used cannot sign in; the next one can.
  clock.advance(30_000);
  return SecretCode!;
}

/** A user of the pool with TOTP enrolled and turned on (preferred), and the secret. */
async function totpUser(poolId: string, clientId: string): Promise<{ username: string; secret: string }> {
  const username = `totp${++seq}`;
  await putUser(server, poolId, { username });
  const accessToken = await accessTokenOf(clientId, username);
  const secret = await enrolTotp(accessToken, 'Phone');
  await server.anonymous.send(
    new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  return { username, secret };
}

test('a new pool reads MFA OFF, and SetUserPoolMfaConfig turns on TOTP as DescribeUserPool agrees', async () => {
  const poolId = await createPool(server, { PoolName: `mfa-${++seq}` });
  assert.deepEqual(withoutMetadata(await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))), {
    MfaConfiguration: 'OFF',
  });

  const set = await server.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...TOTP_OPTIONAL }));
  const expected = { SoftwareTokenMfaConfiguration: { Enabled: true }, MfaConfiguration: 'OPTIONAL' };
  assert.deepEqual(withoutMetadata(set), expected);
  assert.deepEqual(withoutMetadata(await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))), expected);
  const described = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  assert.equal(described.MfaConfiguration, 'OPTIONAL');
  assert.equal('SoftwareTokenMfaConfiguration' in described, false, 'the factor settings are not DescribeUserPool members');

  await server.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF' }));
  assert.deepEqual(withoutMetadata(await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))), {
    MfaConfiguration: 'OFF',
  });
  assert.equal((await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.MfaConfiguration, 'OFF');
});

test('SetUserPoolMfaConfig refuses what AWS refuses, with its messages', async () => {
  const poolId = await createPool(server, { PoolName: `mfa-${++seq}` });
  const set = (input: Omit<ConstructorParameters<typeof SetUserPoolMfaConfigCommand>[0], 'UserPoolId'>) =>
    captureError(() => server.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...input })));
  const cases: [string, Awaited<ReturnType<typeof set>>, string, string][] = [
    ['ON alone', await set({ MfaConfiguration: 'ON' }), 'InvalidParameterException', NO_FACTOR],
    [
      'OPTIONAL with TOTP off',
      await set({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: false } }),
      'InvalidParameterException',
      NO_FACTOR,
    ],
    [
      'OFF with TOTP on',
      await set({ MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } }),
      'InvalidParameterException',
      OFF_WITH_FACTOR,
    ],
    ['OFF with email', await set({ MfaConfiguration: 'OFF', EmailMfaConfiguration: {} }), 'InvalidParameterException', OFF_WITH_FACTOR],
    [
      'email without DEVELOPER sending',
      await set({ MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }),
      'InvalidParameterException',
      'Email MFA requires an email configuration with EmailSendingAccount DEVELOPER.',
    ],
    [
      'SMS without an SMS configuration',
      await set({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: {} }),
      'InvalidParameterException',
      'SMS configuration is required to turn on SMS MFA.',
    ],
  ];
  for (const [what, error, name, message] of cases) {
    assert.deepEqual(
      { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode },
      { name, message, status: 400 },
      what,
    );
  }
  const missing = await captureError(() => server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_nothere00' })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'User pool us-east-1_nothere00 does not exist.']);
});

test('SMS and email MFA configurations are kept and answered as given', async () => {
  const poolId = await createPool(server, { PoolName: `mfa-${++seq}`, EmailConfiguration: DEVELOPER_EMAIL });
  const out = await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code: {####}', SmsConfiguration: SMS_CONFIGURATION },
      EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Sign-in code' },
    }),
  );
  assert.deepEqual(withoutMetadata(out), {
    SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code: {####}', SmsConfiguration: SMS_CONFIGURATION },
    EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Sign-in code' },
    MfaConfiguration: 'ON',
  });
  const described = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  assert.deepEqual(
    [described.MfaConfiguration, described.SmsAuthenticationMessage, described.SmsConfiguration],
    ['ON', 'Code: {####}', SMS_CONFIGURATION],
  );
});

test('VerifySoftwareToken refuses a wrong first code, and TOTP cannot be turned on before it is verified', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const username = `enrol${++seq}`;
  await putUser(server, poolId, { username });
  const accessToken = await accessTokenOf(clientId, username);

  const early = await captureError(() =>
    server.anonymous.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true } })),
  );
  assert.deepEqual(
    [early.name, early.message],
    ['InvalidParameterException', 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA'],
  );
  const unassociated = await captureError(() =>
    server.anonymous.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: '123456' })),
  );
  assert.equal(unassociated.name, 'SoftwareTokenMFANotFoundException');

  const { SecretCode } = await server.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  const right = totpAt(SecretCode!, clock.now());
  const wrong = right === '000000' ? '000001' : '000000';
  const mismatch = await captureError(() =>
    server.anonymous.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: wrong })),
  );
  assert.deepEqual(
    [mismatch.name, mismatch.message],
    ['EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'],
  );

  // The secret is sealed at rest: the stored record never holds it in clear.
  const stored = JSON.stringify((await getUser(server, poolId, username)).extra);
  assert.equal(stored.includes(SecretCode!), false);

  await server.anonymous.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: right, FriendlyDeviceName: 'Phone' }));
  const got = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  assert.equal(got.UserMFASettingList, undefined, 'verifying does not turn TOTP on');
  await server.anonymous.send(
    new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  const after = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  assert.deepEqual(
    [after.UserMFASettingList, after.PreferredMfaSetting, after.MFAOptions],
    [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA', undefined],
  );
  const admin = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.deepEqual(
    [admin.UserMFASettingList, admin.PreferredMfaSetting, admin.MFAOptions],
    [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA', undefined],
  );
});

test('password sign-in asks SOFTWARE_TOKEN_MFA; a wrong code is CodeMismatchException, the right one gives tokens, once', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);

  const first = await signIn(clientId, username);
  assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  assert.deepEqual(first.ChallengeParameters, { FRIENDLY_DEVICE_NAME: 'Phone' });
  assert.ok(first.Session);
  const code = totpAt(secret, clock.now());
  const answer = (session: string, value: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: value },
      }),
    );
  const wrong = await captureError(() => answer(first.Session!, code === '000000' ? '000001' : '000000'));
  assert.deepEqual(
    [wrong.name, wrong.message, wrong.$metadata?.httpStatusCode],
    ['CodeMismatchException', 'Invalid code received for user', 400],
  );
  // The session outlives a wrong code.
  const tokens = await answer(first.Session!, code);
  assert.ok(tokens.AuthenticationResult?.AccessToken);
  assert.deepEqual(tokens.ChallengeParameters, {});

  const replayed = await captureError(() => answer(first.Session!, code));
  assert.deepEqual([replayed.name, replayed.message], ['NotAuthorizedException', 'Invalid session for the user.']);
  const again = await signIn(clientId, username);
  const reused = await captureError(() => answer(again.Session!, code));
  assert.deepEqual(
    [reused.name, reused.message],
    ['CodeMismatchException', 'Invalid code received for user'],
    'a code that worked cannot work again',
  );
  clock.advance(30_000);
  assert.ok((await answer(again.Session!, totpAt(secret, clock.now()))).AuthenticationResult?.IdToken);
});

test('racing answers with one TOTP code: exactly one signs in, from two sessions or from one', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);
  // Plain requests, sent together so that the answers reach the server at once. (On PostgreSQL they
  // interleave; SQLite's server tends to finish one before the next, and the store suite races
  // spendTotpStep itself on both engines.)
  const answer = async (session: string | undefined, code: string): Promise<string> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.RespondToAuthChallenge' },
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
      }),
    });
    const body = (await response.json()) as { AuthenticationResult?: { AccessToken?: string }; __type?: string; message?: string };
    return body.AuthenticationResult?.AccessToken ? 'tokens' : `${body.__type}: ${body.message}`;
  };
  const tally = (outcomes: string[]) => outcomes.sort();

  // Sign-ins each answered with the same code at once: the step is spent by one of them.
  const sessions = await Promise.all(Array.from({ length: 4 }, () => signIn(clientId, username)));
  const code = totpAt(secret, clock.now());
  assert.deepEqual(tally(await Promise.all(sessions.map((s) => answer(s.Session, code)))), [
    ...Array<string>(3).fill('CodeMismatchException: Invalid code received for user'),
    'tokens',
  ]);

  // One session answered twice at once with a right code: it is answered once.
  clock.advance(30_000);
  const one = await signIn(clientId, username);
  const next = totpAt(secret, clock.now());
  const outcomes = tally(await Promise.all([answer(one.Session, next), answer(one.Session, next)]));
  assert.deepEqual(outcomes, ['NotAuthorizedException: Invalid session for the user.', 'tokens']);
});

test('TOTP accepts one step of clock skew either way, not two', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);
  const attempt = async (offsetMs: number): Promise<string> => {
    const challenge = await signIn(clientId, username);
    try {
      const out = await server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.now() + offsetMs) },
        }),
      );
      return out.AuthenticationResult ? 'tokens' : 'challenge';
    } catch (error) {
      return (error as Error).name;
    }
  };
  // Far enough past the enrolment's spent step that only the window refuses the step two behind.
  clock.advance(3 * 30_000);
  assert.equal(await attempt(-60_000), 'CodeMismatchException', 'two steps behind');
  assert.equal(await attempt(-30_000), 'tokens', 'one step behind');
  assert.equal(await attempt(60_000), 'CodeMismatchException', 'two steps ahead');
  assert.equal(await attempt(30_000), 'tokens', 'one step ahead');
  // Now the step ahead is spent, and so is every step before it.
  assert.equal(await attempt(0), 'CodeMismatchException', 'a step before the last accepted one');
});

test('AdminInitiateAuth and AdminRespondToAuthChallenge run SOFTWARE_TOKEN_MFA too', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);
  const challenge = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const out = await server.admin.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.now()) },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken);
});

test('an MFA session lasts three minutes', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);
  const challenge = await signIn(clientId, username);
  const error = await clock.travel(3 * 60_000, () =>
    captureError(() =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.now()) },
        }),
      ),
    ),
  );
  assert.deepEqual([error.name, error.message], ['NotAuthorizedException', 'Invalid session for the user, session is expired.']);
});

test('wrong MFA codes lock the user out after five, and a right password does not reopen guessing', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);
  const wrong = totpAt(secret, clock.now()) === '000000' ? '000001' : '000000';
  const outcomes: string[] = [];
  for (let i = 0; i < 6; i++) {
    // A fresh password sign-in each time: its success must not clear the MFA failures.
    const challenge = await signIn(clientId, username);
    const error = await captureError(() =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: wrong },
        }),
      ),
    );
    outcomes.push(`${error.name}: ${error.message}`);
  }
  assert.deepEqual(outcomes, [
    ...Array<string>(5).fill('CodeMismatchException: Invalid code received for user'),
    'NotAuthorizedException: Password attempts exceeded',
  ]);
});

/** A user without a factor in a pool with MFA ON (TOTP only), signed in with a password: the MFA_SETUP challenge. */
async function mfaSetupChallenge(
  pool: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ clientId: string; username: string; challenge: InitiateAuthCommandOutput }> {
  const { poolId, clientId } = await mfaPool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }, pool);
  const username = `setup${++seq}`;
  await putUser(server, poolId, { username });
  const challenge = await signIn(clientId, username);
  assert.equal(challenge.ChallengeName, 'MFA_SETUP');
  return { clientId, username, challenge };
}

test('MFA ON: a user without a factor sets up TOTP in the MFA_SETUP challenge, by Session', async () => {
  const { clientId, username, challenge } = await mfaSetupChallenge();
  assert.deepEqual(challenge.ChallengeParameters, { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' });

  const early = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'MFA_SETUP',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username },
      }),
    ),
  );
  assert.equal(early.name, 'InvalidParameterException', 'MFA_SETUP before VerifySoftwareToken');

  const associated = await server.anonymous.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session }));
  assert.ok(associated.SecretCode && associated.Session);
  const verified = await server.anonymous.send(
    new VerifySoftwareTokenCommand({
      Session: associated.Session,
      UserCode: totpAt(associated.SecretCode, clock.now()),
      FriendlyDeviceName: 'Work phone',
    }),
  );
  assert.equal(verified.Status, 'SUCCESS');
  assert.ok(verified.Session);
  const done = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'MFA_SETUP',
      Session: verified.Session,
      ChallengeResponses: { USERNAME: username },
    }),
  );
  const accessToken = done.AuthenticationResult!.AccessToken!;
  const user = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  assert.deepEqual([user.UserMFASettingList, user.PreferredMfaSetting], [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA']);

  clock.advance(30_000);
  const next = await signIn(clientId, username);
  assert.deepEqual([next.ChallengeName, next.ChallengeParameters], ['SOFTWARE_TOKEN_MFA', { FRIENDLY_DEVICE_NAME: 'Work phone' }]);
});

test('a session of another challenge cannot associate a token', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username } = await totpUser(poolId, clientId);
  const challenge = await signIn(clientId, username);
  const error = await captureError(() => server.anonymous.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session })));
  assert.deepEqual([error.name, error.message], ['NotAuthorizedException', 'Invalid session for the user.']);
});

/**
 * A challenge session's plaintext broken one way at a time, each sealed with the server's own key
 * and the sessions' sealing context, as a Cognate of another version or a bug could have sealed it:
 * the only reason to refuse it is what was broken.
 */
function brokenSessions(real: Record<string, unknown>): Array<[string, string]> {
  const farFuture = Date.now() + 24 * 3600_000;
  return [
    ['not JSON', 'nonce=x'],
    ['JSON null', 'null'],
    ['a number', '5'],
    ['a string', JSON.stringify(JSON.stringify(real))],
    ['poolId a number', JSON.stringify({ ...real, poolId: 5 })],
    ['clientId a number', JSON.stringify({ ...real, clientId: 5 })],
    ['username a number', JSON.stringify({ ...real, username: 5 })],
    ['sub a number', JSON.stringify({ ...real, sub: 5 })],
    ['challenge a number', JSON.stringify({ ...real, challenge: 5 })],
    ['issuedAt a string', JSON.stringify({ ...real, issuedAt: String(real['issuedAt']) })],
    ['expiresAt a string', JSON.stringify({ ...real, expiresAt: String(farFuture) })],
    ['expiresAt missing', JSON.stringify({ ...real, expiresAt: undefined })],
    ['nonce a number', JSON.stringify({ ...real, nonce: 5 })],
    ['nonce missing', JSON.stringify({ ...real, nonce: undefined })],
  ];
}

/** The sealing context of challenge sessions. */
const SESSION_CONTEXT = 'auth-session';

test('a well-sealed MFA session that is not JSON, not an object, or has a field of the wrong type is refused', async () => {
  const { poolId, clientId } = await mfaPool(TOTP_OPTIONAL);
  const { username, secret } = await totpUser(poolId, clientId);
  const sealer = server.services.sealer;
  const challenge = await signIn(clientId, username);
  const real = JSON.parse(sealer.openString(challenge.Session!, SESSION_CONTEXT)!) as Record<string, unknown>;
  const answer = async (session: string, viaClient = clientId): Promise<string> => {
    try {
      const out = await server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: viaClient,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: session,
          ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.now()) },
        }),
      );
      return out.AuthenticationResult?.AccessToken ? 'tokens' : 'no tokens';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  const invalid = 'NotAuthorizedException: Invalid session for the user.';
  for (const [what, plaintext] of brokenSessions(real)) {
    assert.equal(await answer(sealer.seal(plaintext, SESSION_CONTEXT)), invalid, what);
  }
  // The real session sealed with the sealer's default context (no purpose), and sent through
  // another app client of the pool.
  assert.equal(await answer(sealer.seal(JSON.stringify(real))), invalid, 'sealed with no purpose');
  const other = await createClient(server, poolId);
  assert.equal(await answer(challenge.Session!, other.clientId), invalid, 'another app client');
  // The control: the real session, resealed unchanged, signs in with the same code.
  assert.equal(await answer(sealer.seal(JSON.stringify(real), SESSION_CONTEXT)), 'tokens');
});

test('a well-sealed MFA_SETUP session with a field of the wrong type cannot associate a token', async () => {
  // Case-insensitive usernames: the session's username is lowercased before the user is read.
  const { challenge } = await mfaSetupChallenge({ UsernameConfiguration: { CaseSensitive: false } });
  const sealer = server.services.sealer;
  const real = JSON.parse(sealer.openString(challenge.Session!, SESSION_CONTEXT)!) as Record<string, unknown>;
  const associate = async (plaintext: string): Promise<string> => {
    try {
      const out = await server.anonymous.send(new AssociateSoftwareTokenCommand({ Session: sealer.seal(plaintext, SESSION_CONTEXT) }));
      return out.SecretCode ? 'secret' : 'no secret';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  for (const [what, plaintext] of brokenSessions(real)) {
    assert.equal(await associate(plaintext), 'NotAuthorizedException: Invalid session for the user.', what);
  }
  assert.equal(await associate(JSON.stringify(real)), 'secret');
});

/** The pool and user of the SMS and email tests: SMS and email MFA offered, TOTP too. */
async function codePool(): Promise<{ poolId: string; clientId: string }> {
  return mfaPool(
    {
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
      EmailMfaConfiguration: { Message: 'Sign in with {####}', Subject: 'Your code' },
      SoftwareTokenMfaConfiguration: { Enabled: true },
    },
    { EmailConfiguration: DEVELOPER_EMAIL },
  );
}

/** A user with SMS MFA preferred and a verified phone number, signed in with a password: the SMS_MFA challenge. */
async function smsChallenge(
  poolId: string,
  clientId: string,
  phone: string,
): Promise<{ username: string; challenge: InitiateAuthCommandOutput }> {
  const username = `sms${++seq}`;
  await putUser(server, poolId, { username, attributes: { phone_number: phone, phone_number_verified: 'true' } });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  const challenge = await signIn(clientId, username);
  assert.equal(challenge.ChallengeName, 'SMS_MFA');
  return { username, challenge };
}

/** Answers SMS_MFA with `code`. */
function answerSms(clientId: string, username: string, session: string | undefined, code: string) {
  return server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SMS_MFA',
      Session: session,
      ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: code },
    }),
  );
}

test('an SMS MFA code lives three minutes, even in a longer session', async () => {
  const { poolId } = await codePool();
  const { clientId } = await createClient(server, poolId, { AuthSessionValidity: 10 });
  const { username, challenge } = await smsChallenge(poolId, clientId, '+15555550124');
  const message = await server.lastMessage(poolId, username, 'mfa');
  assert.ok(message?.code, 'the code went out');
  const late = await clock.travel(3 * 60_000, () =>
    captureError(() =>
      server.anonymous.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SMS_MFA',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: message.code! },
        }),
      ),
    ),
  );
  assert.deepEqual([late.name, late.message], ['CodeMismatchException', 'Invalid code or auth state for the user.']);
});

test('SMS_MFA sends a code to the phone and takes it back; a wrong one is CodeMismatchException', async () => {
  const { poolId, clientId } = await codePool();
  const { username, challenge } = await smsChallenge(poolId, clientId, '+15555550123');
  assert.deepEqual(challenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0123' });
  const message = await server.lastMessage(poolId, username, 'mfa');
  assert.ok(message?.code, 'the code went out');
  assert.equal(message.medium, 'SMS');
  assert.equal(message.message, `Your authentication code is ${message.code}. `);
  const answer = (code: string) => answerSms(clientId, username, challenge.Session, code);
  const wrong = await captureError(() => answer(message.code === '000000' ? '000001' : '000000'));
  assert.deepEqual([wrong.name, wrong.message], ['CodeMismatchException', 'Invalid code or auth state for the user.']);
  assert.ok((await answer(message.code)).AuthenticationResult?.AccessToken);
});

test('an SMS MFA code guessed wrong five times is burnt: even the right code is then Attempt limit exceeded', async () => {
  const { poolId, clientId } = await codePool();
  const { username, challenge } = await smsChallenge(poolId, clientId, '+15555550125');
  const message = await server.lastMessage(poolId, username, 'mfa');
  assert.ok(message?.code, 'the code went out');
  const answer = async (code: string): Promise<string> => {
    const error = await captureError(() => answerSms(clientId, username, challenge.Session, code));
    return `${error.name}: ${error.message}`;
  };
  const wrong = message.code === '000000' ? '000001' : '000000';
  for (let i = 0; i < 5; i++) assert.equal(await answer(wrong), 'CodeMismatchException: Invalid code or auth state for the user.');
  // Past the one-second MFA lockout of the fifth failure: the code itself has no guesses left.
  clock.advance(2_000);
  assert.equal(await answer(message.code), 'LimitExceededException: Attempt limit exceeded, please try after some time.');
});

test('a SOFTWARE_TOKEN_MFA session for a user without an authenticator is SoftwareTokenMFANotFoundException', async () => {
  // The session of an SMS user, sealed again for SOFTWARE_TOKEN_MFA with the server's key (as a
  // Cognate of another version could have sealed it, or as a user whose authenticator went since).
  const { poolId, clientId } = await codePool();
  const { username, challenge } = await smsChallenge(poolId, clientId, '+15555550126');
  const sealer = server.services.sealer;
  const real = JSON.parse(sealer.openString(challenge.Session!, SESSION_CONTEXT)!) as Record<string, unknown>;
  const error = await captureError(() =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: sealer.seal(JSON.stringify({ ...real, challenge: 'SOFTWARE_TOKEN_MFA' }), SESSION_CONTEXT),
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: '123456' },
      }),
    ),
  );
  assert.deepEqual([error.name, error.message], ['SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.']);
});

test("EMAIL_OTP as a second factor sends the pool's email MFA message", async () => {
  const { poolId, clientId } = await codePool();
  const username = `mail${++seq}`;
  await putUser(server, poolId, { username, attributes: { email: 'mail@example.com', email_verified: 'true' } });
  await server.admin.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: true } }),
  );
  const challenge = await signIn(clientId, username);
  assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
  assert.deepEqual(challenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'm***@e***' });
  const message = (await server.lastMessage(poolId, username, 'mfa'))!;
  assert.deepEqual([message.subject, message.message], ['Your code', `Sign in with ${message.code}`]);
  const out = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'EMAIL_OTP',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: message.code! },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken);
});

test("two factors and no preference ask SELECT_MFA_TYPE; the answer brings that factor's challenge", async () => {
  const { poolId, clientId } = await codePool();
  const username = `choose${++seq}`;
  await putUser(server, poolId, { username, attributes: { phone_number: '+15555550188' } });
  const accessToken = await accessTokenOf(clientId, username);
  const secret = await enrolTotp(accessToken);
  await server.anonymous.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true },
      SMSMfaSettings: { Enabled: true },
    }),
  );
  const challenge = await signIn(clientId, username);
  assert.deepEqual(
    [challenge.ChallengeName, challenge.ChallengeParameters],
    ['SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' }],
  );
  const select = (answer: string) =>
    server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: answer },
      }),
    );
  assert.equal((await captureError(() => select('EMAIL_OTP'))).name, 'InvalidParameterException', 'a factor not offered');
  const chosen = await select('SOFTWARE_TOKEN_MFA');
  assert.equal(chosen.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  // Answered, the session is spent: refused before its answer is looked at.
  const replayed = await captureError(() => select('EMAIL_OTP'));
  assert.deepEqual([replayed.name, replayed.message], ['NotAuthorizedException', 'Invalid session for the user.'], 'a spent session');
  const out = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: chosen.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.now()) },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken);
});

test('MFA ON sends SMS to a user with a phone number who set nothing up', async () => {
  const poolId = await createPool(server, { PoolName: `mfa-${++seq}`, MfaConfiguration: 'ON', SmsConfiguration: SMS_CONFIGURATION });
  const { clientId } = await createClient(server, poolId);
  const mfa = withoutMetadata(await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId })));
  assert.deepEqual(mfa, { SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, MfaConfiguration: 'ON' });
  const username = `phone${++seq}`;
  await putUser(server, poolId, { username, attributes: { phone_number: '+15555550100' } });
  assert.equal((await signIn(clientId, username)).ChallengeName, 'SMS_MFA');
});

test('SetUserSettings and AdminSetUserSettings set legacy SMS MFA with MFAOptions', async () => {
  const { poolId, clientId } = await codePool();
  const username = `legacy${++seq}`;
  await putUser(server, poolId, { username, attributes: { phone_number: '+15555550177' } });
  const accessToken = await accessTokenOf(clientId, username);
  const bad = await captureError(() =>
    server.anonymous.send(
      new SetUserSettingsCommand({ AccessToken: accessToken, MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] }),
    ),
  );
  assert.deepEqual(
    [bad.name, bad.message],
    ['InvalidParameterException', 'Only phone_number attribute is currently supported as a MFA option.'],
  );
  await server.anonymous.send(
    new SetUserSettingsCommand({ AccessToken: accessToken, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }),
  );
  const got = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.deepEqual([got.UserMFASettingList, got.MFAOptions], [['SMS_MFA'], [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]]);
  const self = await server.anonymous.send(new GetUserCommand({ AccessToken: accessToken }));
  assert.deepEqual([self.UserMFASettingList, self.MFAOptions], [got.UserMFASettingList, got.MFAOptions], 'GetUser and AdminGetUser agree');
  await server.admin.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: username, MFAOptions: [] }));
  const off = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.deepEqual([off.UserMFASettingList, off.MFAOptions], [undefined, undefined]);
});

test("GetUser and AdminGetUser read the migration trigger's SMS flag the same way", async () => {
  const { poolId, clientId } = await codePool();
  const username = `flag${++seq}`;
  const user = await putUser(server, poolId, { username, attributes: { phone_number: '+15555550166' } });
  await server.services.store.users.update({ ...user, extra: { ...user.extra, mfa: { smsEnabled: true } } });
  const admin = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.deepEqual([admin.UserMFASettingList, admin.MFAOptions], [['SMS_MFA'], [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]]);
  // Sign-in sends the SMS code; GetUser needs tokens, which the SMS challenge gives.
  const challenge = await signIn(clientId, username);
  assert.equal(challenge.ChallengeName, 'SMS_MFA');
  const code = (await server.lastMessage(poolId, username, 'mfa'))!.code!;
  const out = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SMS_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: code },
    }),
  );
  const self = await server.anonymous.send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! }));
  assert.deepEqual([self.UserMFASettingList, self.MFAOptions], [admin.UserMFASettingList, admin.MFAOptions]);
});

test("UpdateUserPool's MfaConfiguration is the same setting, and ON or OPTIONAL needs a factor", async () => {
  const plain = await createPool(server, { PoolName: `mfa-${++seq}` });
  const refused = await captureError(() => server.admin.send(new UpdateUserPoolCommand({ UserPoolId: plain, MfaConfiguration: 'ON' })));
  assert.deepEqual(
    [refused.name, refused.message],
    ['InvalidParameterException', 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional'],
  );
  assert.equal((await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: plain }))).UserPool!.MfaConfiguration, 'OFF');

  const { poolId } = await mfaPool(TOTP_OPTIONAL);
  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' }));
  assert.deepEqual(withoutMetadata(await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))), {
    SoftwareTokenMfaConfiguration: { Enabled: true },
    MfaConfiguration: 'ON',
  });
});

test("UpdateUserPool without MfaConfiguration keeps the pool's MFA; an explicit OFF turns it off", async () => {
  const { poolId } = await mfaPool(TOTP_OPTIONAL);
  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, AutoVerifiedAttributes: ['email'] }));
  assert.deepEqual(withoutMetadata(await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))), {
    SoftwareTokenMfaConfiguration: { Enabled: true },
    MfaConfiguration: 'OPTIONAL',
  });
  const described = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  assert.deepEqual([described.MfaConfiguration, described.AutoVerifiedAttributes], ['OPTIONAL', ['email']], 'the update ran');

  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF' }));
  assert.equal((await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))).MfaConfiguration, 'OFF');
});

function withoutMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...rest } = output;
  return rest;
}
