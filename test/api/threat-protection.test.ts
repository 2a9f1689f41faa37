import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import {
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
  type AdvancedSecurityModeType,
  type SetRiskConfigurationCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { enforcedEmailMfaPool } from './threat-protection-fixtures.js';
import { feedbackToken } from '../../src/api/ops/threat-protection/auth-events.js';

/*
 * Threat protection through the AWS SDK v3: SetRiskConfiguration / DescribeRiskConfiguration, the
 * pool's mode, AdminListUserAuthEvents and both feedback operations, the compromised-credentials
 * check against the shipped breach corpus, and the IP lists (the test server sees 127.0.0.1).
 */

let server: TestServer;
const clock = serverForTests((s) => (server = s));

/** A strong password, and breached ones (in the shipped corpus) that pass the pools' 8-character policy. */
const STRONG = 'Xk2-pQ9-vLr7-Secret';
const BREACHED = 'iloveyou';
const BREACHED_TOO = 'sunshine';

interface Pool {
  poolId: string;
  clientId: string;
}

/** A pool in the given mode whose password policy is only 8 characters, with a USER_PASSWORD_AUTH client. */
async function createPool(mode: AdvancedSecurityModeType | undefined): Promise<Pool> {
  const created = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: 'protected',
      Policies: { PasswordPolicy: { MinimumLength: 8 } },
      ...(mode !== undefined ? { UserPoolAddOns: { AdvancedSecurityMode: mode } } : {}),
    }),
  );
  const poolId = created.UserPool!.Id!;
  return { poolId, clientId: await createClient(poolId) };
}

async function createClient(poolId: string): Promise<string> {
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return client.UserPoolClient!.ClientId!;
}

function signIn(clientId: string, username: string, password: string) {
  return server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

function setRisk(input: SetRiskConfigurationCommandInput) {
  return server.admin.send(new SetRiskConfigurationCommand(input));
}

async function authEvents(pool: Pool, username: string, maxResults?: number) {
  const out = await server.admin.send(
    new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: username, ...(maxResults ? { MaxResults: maxResults } : {}) }),
  );
  return out.AuthEvents ?? [];
}

const BLOCK_COMPROMISED = { Actions: { EventAction: 'BLOCK' as const } };

// ---------------------------------------------------------------- configuration

test('SetRiskConfiguration stores the pool default and a client override; DescribeRiskConfiguration reads each back', async () => {
  const pool = await createPool(undefined);
  const empty = await server.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId }));
  assert.deepEqual(empty.RiskConfiguration, { UserPoolId: pool.poolId });

  // Terraform's aws_cognito_risk_configuration sets these on a pool with threat protection OFF.
  const set = await setRisk({
    UserPoolId: pool.poolId,
    CompromisedCredentialsRiskConfiguration: BLOCK_COMPROMISED,
    AccountTakeoverRiskConfiguration: {
      Actions: { HighAction: { EventAction: 'BLOCK', Notify: false }, LowAction: { EventAction: 'NO_ACTION', Notify: false } },
    },
    RiskExceptionConfiguration: { BlockedIPRangeList: ['10.10.10.10/32'], SkippedIPRangeList: ['2001:db8::/32'] },
  });
  const expected = {
    UserPoolId: pool.poolId,
    CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'], Actions: { EventAction: 'BLOCK' } },
    AccountTakeoverRiskConfiguration: {
      Actions: { HighAction: { EventAction: 'BLOCK', Notify: false }, LowAction: { EventAction: 'NO_ACTION', Notify: false } },
    },
    RiskExceptionConfiguration: { BlockedIPRangeList: ['10.10.10.10/32'], SkippedIPRangeList: ['2001:db8::/32'] },
    LastModifiedDate: new Date(Math.floor(clock.now() / 1000) * 1000),
  };
  assert.deepEqual(set.RiskConfiguration, expected);
  const described = await server.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId }));
  assert.deepEqual(described.RiskConfiguration, expected);

  const client = await server.admin.send(
    new SetRiskConfigurationCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.clientId,
      CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], Actions: { EventAction: 'NO_ACTION' } },
    }),
  );
  assert.deepEqual(client.RiskConfiguration?.CompromisedCredentialsRiskConfiguration, {
    EventFilter: ['SIGN_IN'],
    Actions: { EventAction: 'NO_ACTION' },
  });
  assert.equal(client.RiskConfiguration?.ClientId, pool.clientId);
  const other = await createClient(pool.poolId);
  assert.deepEqual(
    (await server.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId, ClientId: other }))).RiskConfiguration,
    {
      UserPoolId: pool.poolId,
      ClientId: other,
    },
  );

  // A request that sets nothing removes the configuration (how Terraform deletes one).
  await setRisk({ UserPoolId: pool.poolId });
  assert.deepEqual((await server.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId }))).RiskConfiguration, {
    UserPoolId: pool.poolId,
  });
});

test('SetRiskConfiguration refuses what the model cannot: bad CIDRs, empty IP lists, notifications without a configuration, unknown clients', async () => {
  const pool = await createPool('ENFORCED');
  const cases: Array<[SetRiskConfigurationCommandInput, string, string]> = [
    [
      { UserPoolId: pool.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.300/32'] } },
      'InvalidParameterException',
      'BlockedIPRangeList contains an invalid IP range: 10.0.0.300/32',
    ],
    [
      { UserPoolId: pool.poolId, RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0'] } },
      'InvalidParameterException',
      'SkippedIPRangeList contains an invalid IP range: 10.0.0.0',
    ],
    [
      { UserPoolId: pool.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: [], SkippedIPRangeList: [] } },
      'InvalidParameterException',
      'RiskExceptionConfiguration must contain BlockedIPRangeList or SkippedIPRangeList.',
    ],
    [
      { UserPoolId: pool.poolId, AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: 'BLOCK', Notify: true } } } },
      'InvalidParameterException',
      'NotifyConfiguration is required when Notify is true for any risk level.',
    ],
    [
      {
        UserPoolId: pool.poolId,
        ClientId: 'nosuchclient1234567890abcd',
        RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/8'] },
      },
      'ResourceNotFoundException',
      'User pool client nosuchclient1234567890abcd does not exist.',
    ],
  ];
  for (const [input, type, message] of cases) {
    const error = await captureError(() => setRisk(input));
    assert.deepEqual([error.name, error.message, error.$metadata?.httpStatusCode], [type, message, 400], JSON.stringify(input));
  }
  const missing = await captureError(() => server.admin.send(new DescribeRiskConfigurationCommand({ UserPoolId: 'us-east-1_NoSuchPool' })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'User pool us-east-1_NoSuchPool does not exist.']);
});

test("the pool's threat protection mode and additional flows are stored and returned by DescribeUserPool", async () => {
  const pool = await createPool('AUDIT');
  const created = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
  assert.deepEqual(created.UserPool?.UserPoolAddOns, { AdvancedSecurityMode: 'AUDIT' });
  await server.admin.send(
    new UpdateUserPoolCommand({
      UserPoolId: pool.poolId,
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED', AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' } },
    }),
  );
  const updated = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
  assert.deepEqual(updated.UserPool?.UserPoolAddOns, {
    AdvancedSecurityMode: 'ENFORCED',
    AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' },
  });
});

// ---------------------------------------------------------------- auth events

test('with threat protection OFF, the auth-event operations answer UserPoolAddOnNotEnabledException', async () => {
  const pool = await createPool('OFF');
  await createConfirmedUser(server, pool.poolId, 'olive', STRONG, {});
  const calls = [
    () => server.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'olive' })),
    () =>
      server.admin.send(
        new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool.poolId, Username: 'olive', EventId: 'event-1', FeedbackValue: 'Valid' }),
      ),
    () =>
      server.anonymous.send(
        new UpdateAuthEventFeedbackCommand({
          UserPoolId: pool.poolId,
          Username: 'olive',
          EventId: 'event-1',
          FeedbackToken: 'v1.a.b.c',
          FeedbackValue: 'Valid',
        }),
      ),
  ];
  for (const call of calls) {
    const error = await captureError(call);
    assert.deepEqual(
      [error.name, error.message, error.$metadata?.httpStatusCode],
      ['UserPoolAddOnNotEnabledException', 'Advanced security features are not enabled for this user pool.', 400],
    );
  }
});

test("AdminListUserAuthEvents lists a user's sign-ins newest first, paged, with outcome, risk and address", async () => {
  const pool = await createPool('AUDIT');
  await createConfirmedUser(server, pool.poolId, 'amy', STRONG, { email: 'amy@example.com' });
  await captureError(() => signIn(pool.clientId, 'amy@example.com', 'Wrong-Passw0rd'));
  clock.advance(1000);
  await signIn(pool.clientId, 'amy', STRONG);

  const events = await authEvents(pool, 'amy');
  assert.equal(events.length, 2);
  const [pass, fail] = events;
  assert.deepEqual(
    { ...pass, EventId: undefined },
    {
      EventId: undefined,
      EventType: 'SignIn',
      CreationDate: new Date(Math.floor(clock.now() / 1000) * 1000),
      EventResponse: 'Pass',
      EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
      ChallengeResponses: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }],
      EventContextData: { IpAddress: '127.0.0.1' },
    },
  );
  assert.match(pass!.EventId!, /^[\w-]+$/);
  assert.equal(fail!.EventResponse, 'Fail');
  assert.deepEqual(fail!.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]);

  const first = await server.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'amy', MaxResults: 1 }));
  assert.deepEqual(
    first.AuthEvents?.map((e) => e.EventId),
    [pass!.EventId],
  );
  const second = await server.admin.send(
    new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'amy', MaxResults: 1, NextToken: first.NextToken }),
  );
  assert.deepEqual(
    second.AuthEvents?.map((e) => e.EventId),
    [fail!.EventId],
  );
  assert.equal(second.NextToken, undefined);

  const unknown = await captureError(() =>
    server.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'nobody' })),
  );
  assert.deepEqual([unknown.name, unknown.message], ['UserNotFoundException', 'User does not exist.']);
});

test('feedback: an admin marks an event; the user marks one with its feedback token, and no other token works', async () => {
  const pool = await createPool('ENFORCED');
  await createConfirmedUser(server, pool.poolId, 'fred', STRONG, {});
  await createConfirmedUser(server, pool.poolId, 'gina', STRONG, {});
  await signIn(pool.clientId, 'fred', STRONG);
  clock.advance(1000);
  await signIn(pool.clientId, 'fred', STRONG);
  await signIn(pool.clientId, 'gina', STRONG);
  const [newer, older] = await authEvents(pool, 'fred');
  const [ginas] = await authEvents(pool, 'gina');

  await server.admin.send(
    new AdminUpdateAuthEventFeedbackCommand({
      UserPoolId: pool.poolId,
      Username: 'fred',
      EventId: older!.EventId!,
      FeedbackValue: 'Invalid',
    }),
  );
  const fredSub = (await server.services.store.users.get(pool.poolId, 'fred'))!.sub;
  const token = feedbackToken(server.services, pool.poolId, fredSub, newer!.EventId!);
  await server.anonymous.send(
    new UpdateAuthEventFeedbackCommand({
      UserPoolId: pool.poolId,
      Username: 'fred',
      EventId: newer!.EventId!,
      FeedbackToken: token,
      FeedbackValue: 'Valid',
    }),
  );
  const judged = await authEvents(pool, 'fred');
  const at = new Date(Math.floor(clock.now() / 1000) * 1000);
  assert.deepEqual(
    judged.map((e) => e.EventFeedback),
    [
      { FeedbackValue: 'Valid', Provider: 'User', FeedbackDate: at },
      { FeedbackValue: 'Invalid', Provider: 'Admin', FeedbackDate: at },
    ],
  );

  // The token judges its own event only: not the user's other event, nor another user's.
  const otherEvent = await captureError(() =>
    server.anonymous.send(
      new UpdateAuthEventFeedbackCommand({
        UserPoolId: pool.poolId,
        Username: 'fred',
        EventId: older!.EventId!,
        FeedbackToken: token,
        FeedbackValue: 'Valid',
      }),
    ),
  );
  assert.deepEqual([otherEvent.name, otherEvent.message], ['NotAuthorizedException', 'The feedback token is not valid for this event.']);
  const otherUser = await captureError(() =>
    server.anonymous.send(
      new UpdateAuthEventFeedbackCommand({
        UserPoolId: pool.poolId,
        Username: 'gina',
        EventId: newer!.EventId!,
        FeedbackToken: token,
        FeedbackValue: 'Valid',
      }),
    ),
  );
  assert.deepEqual([otherUser.name, otherUser.message], ['NotAuthorizedException', 'The feedback token is not valid for this event.']);
  // An admin cannot judge another user's event through this user either.
  const notHers = await captureError(() =>
    server.admin.send(
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: pool.poolId,
        Username: 'fred',
        EventId: ginas!.EventId!,
        FeedbackValue: 'Valid',
      }),
    ),
  );
  assert.deepEqual([notHers.name, notHers.message], ['ResourceNotFoundException', `Auth event ${ginas!.EventId!} does not exist.`]);
});

// ---------------------------------------------------------------- compromised credentials

test('ENFORCED with BLOCK: a breached password is refused at sign-up, password change and sign-in', async () => {
  const pool = await createPool('ENFORCED');
  await setRisk({ UserPoolId: pool.poolId, CompromisedCredentialsRiskConfiguration: BLOCK_COMPROMISED });

  const signUp = await captureError(() =>
    server.anonymous.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'sam', Password: BREACHED })),
  );
  assert.deepEqual(
    [signUp.name, signUp.message, signUp.$metadata?.httpStatusCode],
    ['InvalidPasswordException', 'The password has been found in a data breach. Choose a different password.', 400],
  );
  assert.equal(await server.services.store.users.get(pool.poolId, 'sam'), undefined, 'no user is created');

  await createConfirmedUser(server, pool.poolId, 'cara', STRONG, {});
  const tokens = await signIn(pool.clientId, 'cara', STRONG);
  const change = await captureError(() =>
    server.anonymous.send(
      new ChangePasswordCommand({
        AccessToken: tokens.AuthenticationResult!.AccessToken!,
        PreviousPassword: STRONG,
        ProposedPassword: BREACHED_TOO,
      }),
    ),
  );
  assert.deepEqual(
    [change.name, change.message],
    ['InvalidPasswordException', 'The password has been found in a data breach. Choose a different password.'],
  );
  assert.ok((await signIn(pool.clientId, 'cara', STRONG)).AuthenticationResult, 'the password is unchanged');

  // A breached password an admin set (AdminSetUserPassword is not checked) cannot sign in.
  await createConfirmedUser(server, pool.poolId, 'dora', BREACHED, {});
  const blocked = await captureError(() => signIn(pool.clientId, 'dora', BREACHED));
  assert.deepEqual(
    [blocked.name, blocked.message, blocked.$metadata?.httpStatusCode],
    ['NotAuthorizedException', 'Unable to login because of security reasons.', 400],
  );
  const [event] = await authEvents(pool, 'dora');
  assert.deepEqual([event?.EventResponse, event?.EventRisk], ['Fail', { RiskDecision: 'Block', CompromisedCredentialsDetected: true }]);
});

test('AUDIT mode, NO_ACTION and the event filter let a breached password through; AUDIT still records it', async () => {
  const audit = await createPool('AUDIT');
  await setRisk({ UserPoolId: audit.poolId, CompromisedCredentialsRiskConfiguration: BLOCK_COMPROMISED });
  await createConfirmedUser(server, audit.poolId, 'ann', BREACHED, {});
  assert.ok((await signIn(audit.clientId, 'ann', BREACHED)).AuthenticationResult);
  const [event] = await authEvents(audit, 'ann');
  // AUDIT records what ENFORCED would have decided.
  assert.deepEqual([event?.EventResponse, event?.EventRisk], ['Pass', { RiskDecision: 'Block', CompromisedCredentialsDetected: true }]);
  await server.anonymous.send(new SignUpCommand({ ClientId: audit.clientId, Username: 'audited', Password: BREACHED }));

  const noAction = await createPool('ENFORCED');
  await setRisk({ UserPoolId: noAction.poolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } } });
  await createConfirmedUser(server, noAction.poolId, 'ned', BREACHED, {});
  assert.ok((await signIn(noAction.clientId, 'ned', BREACHED)).AuthenticationResult);

  const signInOnly = await createPool('ENFORCED');
  await setRisk({
    UserPoolId: signInOnly.poolId,
    CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], ...BLOCK_COMPROMISED },
  });
  await server.anonymous.send(new SignUpCommand({ ClientId: signInOnly.clientId, Username: 'sid', Password: BREACHED }));

  // A client's own configuration replaces the pool's for that client.
  const overridden = await createPool('ENFORCED');
  await setRisk({ UserPoolId: overridden.poolId, CompromisedCredentialsRiskConfiguration: BLOCK_COMPROMISED });
  await setRisk({
    UserPoolId: overridden.poolId,
    ClientId: overridden.clientId,
    RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'] },
  });
  await server.anonymous.send(new SignUpCommand({ ClientId: overridden.clientId, Username: 'olga', Password: BREACHED }));
});

// ---------------------------------------------------------------- IP lists

test('BlockedIPRangeList refuses sign-in from its addresses in ENFORCED mode; SkippedIPRangeList and AUDIT mode let it through', async () => {
  const enforced = await createPool('ENFORCED');
  await createConfirmedUser(server, enforced.poolId, 'ivy', STRONG, {});
  await setRisk({ UserPoolId: enforced.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/8'] } });
  const blocked = await captureError(() => signIn(enforced.clientId, 'ivy', STRONG));
  assert.deepEqual(
    [blocked.name, blocked.message, blocked.$metadata?.httpStatusCode],
    ['NotAuthorizedException', 'Unable to login because of security reasons.', 400],
  );
  const [event] = await authEvents(enforced, 'ivy');
  assert.deepEqual([event?.EventResponse, event?.EventRisk?.RiskDecision], ['Fail', 'Block']);

  // Another client of the pool, with its own configuration, is not blocked.
  const other = await createClient(enforced.poolId);
  await setRisk({ UserPoolId: enforced.poolId, ClientId: other, RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'] } });
  assert.ok((await signIn(other, 'ivy', STRONG)).AuthenticationResult);

  // An address in the skipped list skips every check, the block list included.
  await setRisk({
    UserPoolId: enforced.poolId,
    RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/8'], SkippedIPRangeList: ['127.0.0.1/32'] },
  });
  assert.ok((await signIn(enforced.clientId, 'ivy', STRONG)).AuthenticationResult);

  const audit = await createPool('AUDIT');
  await createConfirmedUser(server, audit.poolId, 'abe', STRONG, {});
  await setRisk({ UserPoolId: audit.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.1/32'] } });
  assert.ok((await signIn(audit.clientId, 'abe', STRONG)).AuthenticationResult);
  const [audited] = await authEvents(audit, 'abe');
  assert.deepEqual([audited?.EventResponse, audited?.EventRisk?.RiskDecision], ['Pass', 'Block']);

  // With threat protection OFF the lists do nothing.
  const off = await createPool('OFF');
  await createConfirmedUser(server, off.poolId, 'otto', STRONG, {});
  await setRisk({ UserPoolId: off.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['127.0.0.0/8'] } });
  assert.ok((await signIn(off.clientId, 'otto', STRONG)).AuthenticationResult);
});

test("a back end's ContextData.IpAddress, and a propagating client's UserContextData.IpAddress, are the user's address", async () => {
  const pool = await createPool('ENFORCED');
  await createConfirmedUser(server, pool.poolId, 'bea', STRONG, {});
  await setRisk({ UserPoolId: pool.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'] } });
  const backEnd = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId,
      ClientName: 'backend',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
    }),
  );
  const adminSignIn = (ip: string) =>
    server.admin.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId,
        ClientId: backEnd.UserPoolClient!.ClientId!,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bea', PASSWORD: STRONG },
        ContextData: { IpAddress: ip, ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [] },
      }),
    );
  const blocked = await captureError(() => adminSignIn('203.0.113.9'));
  assert.deepEqual([blocked.name, blocked.message], ['NotAuthorizedException', 'Unable to login because of security reasons.']);
  assert.ok((await adminSignIn('198.51.100.9')).AuthenticationResult);
  assert.equal((await authEvents(pool, 'bea'))[0]?.EventContextData?.IpAddress, '198.51.100.9');

  const publicSignIn = (clientId: string) =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bea', PASSWORD: STRONG },
        UserContextData: { IpAddress: '203.0.113.9' },
      }),
    );
  // Without EnablePropagateAdditionalUserContextData the reported address is not taken.
  assert.ok((await publicSignIn(pool.clientId)).AuthenticationResult);
  const propagating = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: pool.poolId,
      ClientName: 'propagating',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      EnablePropagateAdditionalUserContextData: true,
    }),
  );
  const propagated = await captureError(() => publicSignIn(propagating.UserPoolClient!.ClientId!));
  assert.deepEqual([propagated.name, propagated.message], ['NotAuthorizedException', 'Unable to login because of security reasons.']);
});

// ---------------------------------------------------------------- adaptive authentication

/** A public-API client whose requests come from another loopback address, as a new IP would. */
function clientFrom(address: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'unknown-secret' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ localAddress: address }) },
  });
}

async function signInFrom(address: string, clientId: string, username: string, password: string) {
  const client = clientFrom(address);
  try {
    return await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  } finally {
    client.destroy();
  }
}

test('ENFORCED adaptive authentication: a new address is Low risk, failed attempts raise it, and each level takes its action', async () => {
  const pool = await createPool('ENFORCED');
  await setRisk({
    UserPoolId: pool.poolId,
    AccountTakeoverRiskConfiguration: {
      Actions: {
        LowAction: { EventAction: 'NO_ACTION', Notify: false },
        MediumAction: { EventAction: 'MFA_REQUIRED', Notify: false },
        HighAction: { EventAction: 'BLOCK', Notify: false },
      },
    },
  });
  await createConfirmedUser(server, pool.poolId, 'rita', STRONG, {});
  const blockedMessage = ['NotAuthorizedException', 'Unable to login because of security reasons.'];

  // The first sign-in has no history to differ from.
  await signIn(pool.clientId, 'rita', STRONG);
  assert.deepEqual((await authEvents(pool, 'rita'))[0]?.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });

  // A new address: Low, whose action lets the sign-in through.
  assert.ok((await signInFrom('127.0.0.2', pool.clientId, 'rita', STRONG)).AuthenticationResult);
  assert.deepEqual((await authEvents(pool, 'rita'))[0]?.EventRisk, {
    RiskDecision: 'AccountTakeover',
    RiskLevel: 'Low',
    CompromisedCredentialsDetected: false,
  });

  // Three failed attempts and a new address: Medium; MFA_REQUIRED blocks a user without MFA.
  for (let i = 0; i < 3; i++) await captureError(() => signIn(pool.clientId, 'rita', 'Wrong-Passw0rd'));
  const medium = await captureError(() => signInFrom('127.0.0.3', pool.clientId, 'rita', STRONG));
  assert.deepEqual([medium.name, medium.message], blockedMessage);
  const [mediumEvent] = await authEvents(pool, 'rita');
  assert.deepEqual(
    [mediumEvent?.EventResponse, mediumEvent?.EventRisk],
    ['Fail', { RiskDecision: 'Block', RiskLevel: 'Medium', CompromisedCredentialsDetected: false }],
  );

  // Five failed sign-ins in 15 minutes and a new address: High, blocked.
  await captureError(() => signIn(pool.clientId, 'rita', 'Wrong-Passw0rd'));
  const high = await captureError(() => signInFrom('127.0.0.4', pool.clientId, 'rita', STRONG));
  assert.deepEqual([high.name, high.message], blockedMessage);
  assert.equal((await authEvents(pool, 'rita'))[0]?.EventRisk?.RiskLevel, 'High');

  // Once the failures are older than 15 minutes, a known address is no risk again.
  const later = await clock.travel(16 * 60_000, () => signInFrom('127.0.0.2', pool.clientId, 'rita', STRONG));
  assert.ok(later.AuthenticationResult);
  assert.deepEqual((await authEvents(pool, 'rita'))[0]?.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });
});

test('adaptive authentication in AUDIT mode records the risk and acts on nothing; MFA_IF_CONFIGURED lets a user without MFA in', async () => {
  const audit = await createPool('AUDIT');
  await setRisk({
    UserPoolId: audit.poolId,
    AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: 'BLOCK', Notify: false } } },
  });
  await createConfirmedUser(server, audit.poolId, 'alma', STRONG, {});
  await signIn(audit.clientId, 'alma', STRONG);
  assert.ok((await signInFrom('127.0.0.2', audit.clientId, 'alma', STRONG)).AuthenticationResult);
  const [event] = await authEvents(audit, 'alma');
  assert.deepEqual(
    [event?.EventResponse, event?.EventRisk],
    ['Pass', { RiskDecision: 'Block', RiskLevel: 'Low', CompromisedCredentialsDetected: false }],
  );

  const optional = await createPool('ENFORCED');
  await setRisk({
    UserPoolId: optional.poolId,
    AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false } } },
  });
  await createConfirmedUser(server, optional.poolId, 'mona', STRONG, {});
  await signIn(optional.clientId, 'mona', STRONG);
  assert.ok((await signInFrom('127.0.0.2', optional.clientId, 'mona', STRONG)).AuthenticationResult);
});

/** An ENFORCED pool whose MFA is OPTIONAL with email codes, and whose Low risk takes `action`. */
async function riskMfaPool(action: 'MFA_IF_CONFIGURED' | 'MFA_REQUIRED'): Promise<Pool> {
  const poolId = await enforcedEmailMfaPool(server, 'risk-mfa');
  await setRisk({
    UserPoolId: poolId,
    AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: action, Notify: false } } },
  });
  return { poolId, clientId: await createClient(poolId) };
}

for (const action of ['MFA_IF_CONFIGURED', 'MFA_REQUIRED'] as const) {
  test(`${action}: a risky sign-in of a user with an email address but no MFA turned on is challenged with EMAIL_OTP in an OPTIONAL pool`, async () => {
    const pool = await riskMfaPool(action);
    await createConfirmedUser(server, pool.poolId, 'ezra', STRONG, { email: 'ezra@example.com', email_verified: 'true' });
    // No risk: the OPTIONAL pool lets the user in without a second factor.
    assert.ok((await signIn(pool.clientId, 'ezra', STRONG)).AuthenticationResult);
    // A new address is Low risk: the user can answer email MFA, so the sign-in asks for it.
    const challenge = await signInFrom('127.0.0.2', pool.clientId, 'ezra', STRONG);
    assert.equal(challenge.ChallengeName, 'EMAIL_OTP');
    assert.equal(challenge.AuthenticationResult, undefined);
    const message = await server.lastMessage(pool.poolId, 'ezra', 'mfa');
    assert.ok(message?.code, 'the email MFA code went out');
    const answered = await server.anonymous.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: 'EMAIL_OTP',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'ezra', EMAIL_OTP_CODE: message.code },
      }),
    );
    assert.ok(answered.AuthenticationResult?.AccessToken);
  });
}

test("a risky sign-in of a user who cannot answer any of the pool's factors: MFA_IF_CONFIGURED lets it in, MFA_REQUIRED blocks it", async () => {
  const lenient = await riskMfaPool('MFA_IF_CONFIGURED');
  await createConfirmedUser(server, lenient.poolId, 'nora', STRONG, {});
  await signIn(lenient.clientId, 'nora', STRONG);
  assert.ok((await signInFrom('127.0.0.2', lenient.clientId, 'nora', STRONG)).AuthenticationResult);

  const strict = await riskMfaPool('MFA_REQUIRED');
  await createConfirmedUser(server, strict.poolId, 'nils', STRONG, {});
  await signIn(strict.clientId, 'nils', STRONG);
  const blocked = await captureError(() => signInFrom('127.0.0.2', strict.clientId, 'nils', STRONG));
  assert.deepEqual([blocked.name, blocked.message], ['NotAuthorizedException', 'Unable to login because of security reasons.']);
});

// ---------------------------------------------------------------- notifications

const NOTIFY_CONFIGURATION = {
  SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/security@example.com',
  ReplyTo: 'help@example.com',
  NoActionEmail: {
    Subject: 'New sign-in for {username}',
    HtmlBody:
      '<p>{username} signed in at {login-time} from {ip-address} ({device-name}, {city}, {country}).</p>' +
      '<a href="{one-click-link-valid}">Me</a> <a href="{one-click-link-invalid}">Not me</a>',
    TextBody: '{username} from {ip-address}',
  },
  BlockEmail: { Subject: 'Blocked sign-in', TextBody: 'We blocked {username} from {ip-address}. Not you? {one-click-link-invalid}' },
};

/** The href of the link whose text is `text` in an HTML body. */
function linkOf(body: string, text: string): string {
  const href = new RegExp(`<a href="([^"]+)">${text}</a>`).exec(body)?.[1];
  assert.ok(href, `a "${text}" link in the notification`);
  return href.replaceAll('&amp;', '&');
}

test("a risky sign-in whose action notifies sends NotifyConfiguration's email; its one-click link records the user's feedback", async () => {
  const pool = await createPool('ENFORCED');
  await setRisk({
    UserPoolId: pool.poolId,
    AccountTakeoverRiskConfiguration: {
      NotifyConfiguration: NOTIFY_CONFIGURATION,
      Actions: { LowAction: { EventAction: 'NO_ACTION', Notify: true }, MediumAction: { EventAction: 'BLOCK', Notify: true } },
    },
  });
  await createConfirmedUser(server, pool.poolId, 'tess', STRONG, { email: 'tess@example.com', email_verified: 'true' });
  await signIn(pool.clientId, 'tess', STRONG);
  assert.equal(await server.lastMessage(pool.poolId, 'tess', 'account-takeover'), undefined, 'no risk, no notification');

  assert.ok((await signInFrom('127.0.0.2', pool.clientId, 'tess', STRONG)).AuthenticationResult);
  const notice = await server.lastMessage(pool.poolId, 'tess', 'account-takeover');
  assert.ok(notice, 'the NoActionEmail went out');
  assert.equal(notice.destination, 'tess@example.com');
  assert.equal(notice.subject, 'New sign-in for tess');
  const loginTime = new Date(clock.now()).toISOString();
  assert.match(
    notice.message,
    new RegExp(`^<p>tess signed in at ${loginTime} from 127\\.0\\.0\\.2 \\(Unknown, Unknown, Unknown\\)\\.</p>`),
  );

  // The "Not me" link names the sign-in's auth event and marks it Invalid, as UpdateAuthEventFeedback does.
  const [event] = await authEvents(pool, 'tess');
  const invalid = new URL(linkOf(notice.message, 'Not me'));
  assert.equal(invalid.searchParams.get('event_id'), event?.EventId);
  const page = await fetch(invalid);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /reported this sign-in as not yours/);
  const [judged] = await authEvents(pool, 'tess');
  assert.deepEqual([judged?.EventFeedback?.FeedbackValue, judged?.EventFeedback?.Provider], ['Invalid', 'User']);

  // A link whose token is for another event records nothing.
  const forged = new URL(linkOf(notice.message, 'Me'));
  forged.searchParams.set('event_id', 'another-event');
  const refused = await fetch(forged);
  assert.equal(refused.status, 400);
  await refused.body?.cancel();

  // Three failures and another new address: Medium, blocked, and the BlockEmail (a TextBody only) says so.
  for (let i = 0; i < 3; i++) await captureError(() => signIn(pool.clientId, 'tess', 'Wrong-Passw0rd'));
  const blocked = await captureError(() => signInFrom('127.0.0.3', pool.clientId, 'tess', STRONG));
  assert.equal(blocked.name, 'NotAuthorizedException');
  const blockNotice = await server.lastMessage(pool.poolId, 'tess', 'account-takeover');
  assert.equal(blockNotice?.subject, 'Blocked sign-in');
  assert.match(blockNotice?.message ?? '', /^We blocked tess from 127\.0\.0\.3\. Not you\? http:\/\/\S+\/riskFeedback\?/);
});

test('AUDIT mode, and an action without Notify, send no notification', async () => {
  for (const [mode, notify] of [
    ['AUDIT', true],
    ['ENFORCED', false],
  ] as const) {
    const pool = await createPool(mode);
    await setRisk({
      UserPoolId: pool.poolId,
      AccountTakeoverRiskConfiguration: {
        NotifyConfiguration: NOTIFY_CONFIGURATION,
        Actions: { LowAction: { EventAction: 'NO_ACTION', Notify: notify } },
      },
    });
    await createConfirmedUser(server, pool.poolId, 'quiet', STRONG, { email: 'quiet@example.com' });
    await signIn(pool.clientId, 'quiet', STRONG);
    assert.ok((await signInFrom('127.0.0.2', pool.clientId, 'quiet', STRONG)).AuthenticationResult);
    assert.equal((await authEvents(pool, 'quiet'))[0]?.EventRisk?.RiskLevel, 'Low');
    assert.equal(await server.lastMessage(pool.poolId, 'quiet', 'account-takeover'), undefined, `${mode}, Notify ${String(notify)}`);
  }
});

test('sign-ins accept UserContextData with EncodedData', async () => {
  const pool = await createPool('ENFORCED');
  await createConfirmedUser(server, pool.poolId, 'uma', STRONG, {});
  const out = await server.anonymous.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'uma', PASSWORD: STRONG },
      UserContextData: { EncodedData: 'eyJwYXlsb2FkIjoie30ifQ==', IpAddress: '198.51.100.7' },
    }),
  );
  assert.ok(out.AuthenticationResult?.AccessToken);
});
