import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  GetLogDeliveryConfigurationCommand,
  InitiateAuthCommand,
  SetLogDeliveryConfigurationCommand,
  SignUpCommand,
  type LogConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectCognitoError as expectError, startTestServer, type TestServer } from '../support/server.js';
import { startSmsReceiver, type SmsReceiver } from '../support/sms.js';
import { waitUntil } from '../support/wait.js';
import { PASSWORD, createClient, createPool } from './users-fixtures.js';

const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:cognito-notifications';
const STREAM = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/cognito-activity';
const NOTIFICATIONS: LogConfigurationType = {
  EventSource: 'userNotification',
  LogLevel: 'ERROR',
  CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP },
};
const ACTIVITY: LogConfigurationType = { EventSource: 'userAuthEvents', LogLevel: 'INFO', FirehoseConfiguration: { StreamArn: STREAM } };

let dir: string;
let logFile: string;
let receiver: SmsReceiver;
let server: TestServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cognate-log-delivery-'));
  logFile = join(dir, 'delivered.jsonl');
  // An SMS sender that fails, so a phone sign-up's code is a message delivery error.
  receiver = await startSmsReceiver({ kind: 'webhook', failWith: 500 });
  server = await startTestServer({ logDeliveryFile: logFile, smsWebhookUrl: receiver.url });
});
after(async () => {
  await server.stop();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

function delivered(): Array<Record<string, unknown>> {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('GetLogDeliveryConfiguration answers an empty list until SetLogDeliveryConfiguration stores one', async () => {
  const poolId = await createPool(server, { UserPoolTier: 'PLUS' });
  const empty = await server.admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
  assert.deepEqual(empty.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [] });

  const set = await server.admin.send(
    new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: [NOTIFICATIONS, ACTIVITY] }),
  );
  assert.deepEqual(set.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [NOTIFICATIONS, ACTIVITY] });
  const read = await server.admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
  assert.deepEqual(read.LogDeliveryConfiguration, set.LogDeliveryConfiguration);

  // An empty list turns delivery off.
  await server.admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: [] }));
  const cleared = await server.admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
  assert.deepEqual(cleared.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [] });

  await expectError(
    () => server.admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: 'us-east-1_nosuchpool' })),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
});

test('SetLogDeliveryConfiguration refuses what Cognito does not deliver', async () => {
  const plus = await createPool(server, { UserPoolTier: 'PLUS' });
  const essentials = await createPool(server);
  const set = (poolId: string, LogConfigurations: LogConfigurationType[]) =>
    server.admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations }));
  await expectError(
    () => set(plus, [NOTIFICATIONS, NOTIFICATIONS]),
    'InvalidParameterException',
    'Only one log configuration is allowed for event source userNotification.',
  );
  await expectError(
    () => set(plus, [{ EventSource: 'userNotification', LogLevel: 'ERROR' }]),
    'InvalidParameterException',
    'Exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration is required in a log configuration.',
  );
  await expectError(
    () => set(plus, [{ ...ACTIVITY, CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP } }]),
    'InvalidParameterException',
    'Exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration is required in a log configuration.',
  );
  await expectError(
    () => set(plus, [{ ...NOTIFICATIONS, LogLevel: 'INFO' }]),
    'InvalidParameterException',
    'LogLevel must be ERROR for event source userNotification.',
  );
  await expectError(
    () => set(plus, [{ EventSource: 'userNotification', LogLevel: 'ERROR', FirehoseConfiguration: { StreamArn: STREAM } }]),
    'InvalidParameterException',
    'Event source userNotification can only be delivered to CloudWatch Logs.',
  );
  await expectError(
    () => set(plus, [{ ...ACTIVITY, LogLevel: 'ERROR' }]),
    'InvalidParameterException',
    'LogLevel must be INFO for event source userAuthEvents.',
  );
  await expectError(
    () => set(plus, [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: 'arn:aws:sqs:::not-a-bucket' } }]),
    'InvalidParameterException',
    'arn:aws:sqs:::not-a-bucket is not a valid S3 destination ARN.',
  );
  await expectError(
    () => set(essentials, [ACTIVITY]),
    'FeatureUnavailableInTierException',
    'Exporting userAuthEvents logs requires the PLUS feature plan; this user pool is ESSENTIALS.',
  );
  // Message delivery errors need no plan.
  await set(essentials, [NOTIFICATIONS]);
  await expectError(
    () => set(plus, [{ EventSource: 'userSignIns' as LogConfigurationType['EventSource'], LogLevel: 'INFO' }]),
    'InvalidParameterException',
    /at 'logConfigurations.1.member.eventSource' failed to satisfy constraint: Member must satisfy enum value set: \[userAuthEvents, userNotification\]/,
  );
  await expectError(
    () => set(plus, [NOTIFICATIONS, ACTIVITY, ACTIVITY]),
    'InvalidParameterException',
    /at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2/,
  );
  // Nothing refused was stored.
  const read = await server.admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: plus }));
  assert.deepEqual(read.LogDeliveryConfiguration!.LogConfigurations, []);
});

test('user activity and message delivery errors reach the log delivery file, tagged with their destination', async () => {
  const poolId = await createPool(server, {
    UserPoolTier: 'PLUS',
    AutoVerifiedAttributes: ['phone_number'],
    SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms', ExternalId: 'cognate-tests' },
  });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  const before = delivered().length;
  await server.admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations: [NOTIFICATIONS, ACTIVITY] }));

  // The code cannot be sent: a userNotification error.
  await expectError(
    () =>
      server.anonymous.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'nadia',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }],
        }),
      ),
    'CodeDeliveryFailureException',
    'Invalid phone number provided/Unable to send the SMS',
  );
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'nadia' }));
  // A sign-in: userAuthEvents activity.
  await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nadia', PASSWORD } }),
  );

  const lines = await waitUntil(
    () => {
      const mine = delivered()
        .slice(before)
        .filter((line) => line['userPoolId'] === poolId);
      return mine.length >= 3 && mine;
    },
    () => `three delivered lines for ${poolId}, found ${JSON.stringify(delivered().slice(before))}`,
  );
  const notification = lines.find((line) => line['eventSource'] === 'userNotification');
  assert.deepEqual(
    notification && {
      destination: notification['destination'],
      logLevel: notification['logLevel'],
      eventType: notification['eventType'],
      eventResponse: notification['eventResponse'],
      username: notification['username'],
      error: notification['error'],
    },
    {
      destination: LOG_GROUP,
      logLevel: 'ERROR',
      eventType: 'SignUp',
      eventResponse: 'Fail',
      username: 'nadia',
      error: 'CodeDeliveryFailureException',
    },
  );
  // The failed sign-up is user activity too.
  const signUp = lines.find((line) => line['eventSource'] === 'userAuthEvents' && line['eventType'] === 'SignUp');
  assert.deepEqual(signUp && [signUp['destination'], signUp['eventResponse'], signUp['error']], [
    STREAM,
    'Fail',
    'CodeDeliveryFailureException',
  ]);
  const signIn = lines.find((line) => line['eventSource'] === 'userAuthEvents' && line['eventType'] === 'SignIn');
  assert.deepEqual(
    signIn && {
      destination: signIn['destination'],
      logLevel: signIn['logLevel'],
      eventResponse: signIn['eventResponse'],
      clientId: signIn['clientId'],
    },
    { destination: STREAM, logLevel: 'INFO', eventResponse: 'Pass', clientId },
  );
  assert.match(String(signIn!['eventTimestamp']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  // No admin change (the AdminConfirmSignUp, the SetLogDeliveryConfiguration) is user activity.
  assert.deepEqual(
    lines.filter((line) => !['SignUp', 'SignIn'].includes(String(line['eventType']))),
    [],
  );
});

test('a pool without a log configuration delivers nothing', async () => {
  const poolId = await createPool(server, { UserPoolTier: 'PLUS' });
  const { clientId } = await createClient(server, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await server.anonymous.send(new SignUpCommand({ ClientId: clientId, Username: 'quiet', Password: PASSWORD }));
  await server.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'quiet' }));
  await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'quiet', PASSWORD } }),
  );
  // The audit event is recorded (and delivered, when configured) before the answer goes out.
  assert.deepEqual(
    delivered().filter((line) => line['userPoolId'] === poolId),
    [],
  );
});
