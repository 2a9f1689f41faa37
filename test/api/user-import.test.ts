/**
 * User import jobs through the wire, as AWS documents the workflow: CreateUserImportJob, a PUT of
 * the CSV to the PreSignedUrl (fetch here, `curl -T` for a user), StartUserImportJob, then
 * DescribeUserImportJob until the job ends; the imported users reset their passwords.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import { FrozenClock } from '../../src/lib/clock.js';
import { sha256Hex } from '../../src/crypto/compare.js';
import { newImportJob, UNSTARTED_JOB_LIFETIME_MS, UPLOAD_URL_VALIDITY_MS } from '../../src/user-import/jobs.js';
import { CSV_SLICE_BYTES, nextBatchRows } from '../../src/user-import/run-import.js';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { waitUntil } from '../support/wait.js';
import { awsCli, awsCliVersion, cliJson } from '../support/aws-cli.js';
import { srpClient } from '../support/srp-client.js';
import { PASSWORD, codeFor, createClient, createPool } from './users-fixtures.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/CognitoImportRole';
const ENDED: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const clock = FrozenClock.atNow();
let server: TestServer;
/** Every line the server logged, as JSON text. */
const logLines: string[] = [];

before(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  server = await startTestServer({}, { clock, logger: pino({ level: 'info' }, sink) });
});
after(() => server.stop());

async function createJob(poolId: string, JobName = 'import-test'): Promise<UserImportJobType> {
  const created = await server.admin.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName, CloudWatchLogsRoleArn: ROLE_ARN }));
  return created.UserImportJob!;
}

/** The PUT the developer guide shows (`curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" URL`). */
function upload(
  url: string,
  csv: string,
  headers: Record<string, string> = { 'x-amz-server-side-encryption': 'aws:kms' },
): Promise<Response> {
  return fetch(url, { method: 'PUT', body: csv, headers });
}

async function describe(poolId: string, jobId: string): Promise<UserImportJobType> {
  return (await server.admin.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }))).UserImportJob!;
}

/** Polls DescribeUserImportJob until the job has ended. */
function ended(poolId: string, jobId: string): Promise<UserImportJobType> {
  return waitUntil(
    async () => {
      const job = await describe(poolId, jobId);
      return ENDED.has(job.Status ?? '') ? job : undefined;
    },
    `import job ${jobId} ended`,
    { timeoutMs: 60_000 },
  );
}

/** A CSV over GetCSVHeader's columns: each row gives some of them, the rest are empty. */
async function csvFor(poolId: string, rows: ReadonlyArray<Record<string, string>>): Promise<string> {
  const header = (await server.admin.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
  const lines = [header.join(','), ...rows.map((row) => header.map((column) => row[column] ?? '').join(','))];
  return `${lines.join('\n')}\n`;
}

function user(username: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    'cognito:username': username,
    'cognito:mfa_enabled': 'false',
    email: `${username}@example.com`,
    email_verified: 'true',
    ...over,
  };
}

async function emailPool(): Promise<string> {
  return createPool(server, { AutoVerifiedAttributes: ['email'] });
}

/** Creates a job, uploads `csv`, starts it and waits for its end. */
async function importCsv(poolId: string, csv: string): Promise<UserImportJobType> {
  const job = await createJob(poolId);
  const put = await upload(job.PreSignedUrl!, csv);
  assert.equal(put.status, 200, await put.text());
  const started = await server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  assert.equal(started.UserImportJob?.Status, 'Pending');
  return ended(poolId, job.JobId!);
}

test('the documented workflow imports users in RESET_REQUIRED; they reset their password and sign in', async () => {
  const poolId = await emailPool();
  const client = await createClient(server, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dora',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'dora@example.com' }],
    }),
  );

  const job = await createJob(poolId, 'first import');
  assert.match(job.JobId!, /^import-[0-9a-zA-Z-]+$/);
  assert.equal(job.Status, 'Created');
  assert.equal(job.JobName, 'first import');
  assert.equal(job.UserPoolId, poolId);
  assert.equal(job.CloudWatchLogsRoleArn, ROLE_ARN);
  assert.deepEqual([job.ImportedUsers, job.SkippedUsers, job.FailedUsers], [0, 0, 0]);
  assert.ok(job.CreationDate instanceof Date);
  assert.equal(job.StartDate, undefined);
  assert.ok(job.PreSignedUrl!.startsWith(`${server.url}/`), job.PreSignedUrl);

  const csv = await csvFor(poolId, [
    user('alice', { given_name: 'Alice' }),
    user('bob', { phone_number: '+15555550100', 'cognito:mfa_enabled': 'true' }),
    user('alice', { email: 'alice2@example.com' }),
    user('carol', { email_verified: 'false' }),
    user('dora'),
  ]);
  const put = await upload(job.PreSignedUrl!, csv);
  assert.equal(put.status, 200);
  assert.match(put.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);

  const started = await server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  assert.equal(started.UserImportJob?.Status, 'Pending');
  assert.ok(started.UserImportJob?.StartDate instanceof Date);

  const done = await ended(poolId, job.JobId!);
  assert.equal(done.Status, 'Succeeded');
  assert.equal(done.CompletionMessage, 'Import Job Completed Successfully.');
  assert.ok(done.CompletionDate instanceof Date);
  // alice and bob imported; alice's second row (a duplicate) and carol (no auto-verified attribute) failed; dora existed.
  assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [2, 1, 2]);

  const alice = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
  assert.equal(alice.UserStatus, 'RESET_REQUIRED');
  const attributes = Object.fromEntries((alice.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  assert.equal(attributes['email'], 'alice@example.com');
  assert.equal(attributes['email_verified'], 'true');
  assert.equal(attributes['given_name'], 'Alice');
  assert.match(attributes['sub'] ?? '', UUID_V4);
  const bob = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' }));
  assert.deepEqual(bob.UserMFASettingList, ['SMS_MFA']);
  const dora = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dora' }));
  assert.equal(dora.UserStatus, 'FORCE_CHANGE_PASSWORD', 'a skipped user is left as it was');
  assert.equal(
    (await captureError(() => server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' })))).name,
    'UserNotFoundException',
  );

  // Each row is logged by its line number (the header is line 1), never with its values.
  const rows = logLines.filter((line) => line.includes(job.JobId!) && line.includes('Line Number'));
  assert.ok(rows.some((line) => line.includes('[FAILED] Line Number 4 - The username appears on an earlier line of the file.')));
  assert.ok(
    rows.some((line) =>
      line.includes('[FAILED] Line Number 5 - The User Record does not set any of the auto verified attributes to true.'),
    ),
  );
  assert.ok(rows.some((line) => line.includes('[SKIPPED] Line Number 6 - The user already exists.')));
  assert.ok(!rows.some((line) => line.includes('@example.com') || line.includes('+1555')), 'no attribute value is logged');

  const signIn = () =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: client.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD },
      }),
    );
  const refused = await captureError(signIn);
  assert.equal(refused.name, 'PasswordResetRequiredException');
  assert.equal(refused.message, 'Password reset required for the user');

  // SRP too (Amplify's default), at InitiateAuth: there is no password to prove.
  const srp = await captureError(() =>
    server.anonymous.send(
      new InitiateAuthCommand({
        ClientId: client.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'bob', SRP_A: srpClient(poolId).srpA },
      }),
    ),
  );
  assert.equal(srp.name, 'PasswordResetRequiredException');
  assert.equal(srp.message, 'Password reset required for the user');

  const forgot = await server.anonymous.send(new ForgotPasswordCommand({ ClientId: client.clientId, Username: 'alice' }));
  assert.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
  const code = await codeFor(server, poolId, 'alice', 'forgot-password');
  await server.anonymous.send(
    new ConfirmForgotPasswordCommand({ ClientId: client.clientId, Username: 'alice', ConfirmationCode: code, Password: PASSWORD }),
  );
  const tokens = await signIn();
  assert.ok(tokens.AuthenticationResult?.AccessToken);
  assert.equal((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus, 'CONFIRMED');
});

test('rows that break the pool’s rules fail one by one and the rest is imported', async () => {
  const poolId = await createPool(server, {
    AutoVerifiedAttributes: ['email'],
    AliasAttributes: ['email'],
    Schema: [{ Name: 'tier', AttributeDataType: 'Number', Mutable: true, NumberAttributeConstraints: { MinValue: '1', MaxValue: '3' } }],
  });
  const header = (await server.admin.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
  assert.ok(header.includes('custom:tier'));
  const csv = await csvFor(poolId, [
    user('erin', { 'custom:tier': '2' }),
    user('fay', { 'custom:tier': '9' }),
    user('gus', { email: 'erin@example.com' }),
    user('', {}),
    user('hal', { 'cognito:mfa_enabled': 'maybe' }),
    user('ivy', { 'cognito:mfa_enabled': 'true' }),
  ]);
  const done = await importCsv(poolId, `${csv}jo,only-two-cells\n`);
  assert.equal(done.Status, 'Succeeded');
  assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [1, 0, 6]);
  const erin = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'erin' }));
  assert.ok(erin.UserAttributes?.some((a) => a.Name === 'custom:tier' && a.Value === '2'));
  const rows = logLines.filter((line) => line.includes(poolId) && line.includes('[FAILED]'));
  assert.equal(rows.length, 6);
  assert.ok(
    rows.some((line) => line.includes('Line Number 4 - An account with the given email already exists.')),
    rows.join('\n'),
  );
  assert.ok(rows.some((line) => line.includes('Line Number 5 - The value of cognito:username is missing.')));
  assert.ok(rows.some((line) => line.includes('Line Number 6 - The value of cognito:mfa_enabled must be true or false.')));
  assert.ok(rows.some((line) => line.includes('Line Number 7 - cognito:mfa_enabled is true but phone_number is missing.')));
  assert.ok(rows.some((line) => line.includes('Line Number 8 - The row has 2 values but the header has')));
});

test('in a pool that signs in with email, cognito:username is the email and the username becomes the sub', async () => {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'] });
  await server.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'old@example.com', MessageAction: 'SUPPRESS' }));
  const csv = await csvFor(poolId, [
    user('new@example.com', { email: 'new@example.com' }),
    user('nina', { email: 'nina@example.com' }),
    user('old@example.com', { email: 'old@example.com' }),
  ]);
  const done = await importCsv(poolId, csv);
  assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [1, 1, 1]);
  const created = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'new@example.com' }));
  assert.equal(created.UserStatus, 'RESET_REQUIRED');
  assert.equal(created.Username, created.UserAttributes?.find((a) => a.Name === 'sub')?.Value);
  const rows = logLines.filter((line) => line.includes(poolId) && line.includes('Line Number 3'));
  assert.ok(
    rows.some((line) => line.includes("[FAILED] Line Number 3 - The value of cognito:username must be the user's email")),
    rows.join('\n'),
  );
});

test('a malformed header, an empty file or no upload at all fails the job with a CompletionMessage', async () => {
  const poolId = await emailPool();
  const unknown = await importCsv(poolId, 'cognito:username,cognito:mfa_enabled,shoe_size\nkim,false,44\n');
  assert.equal(unknown.Status, 'Failed');
  assert.equal(unknown.CompletionMessage, 'The CSV header contains the column shoe_size, which is not an attribute of the user pool.');
  assert.deepEqual([unknown.ImportedUsers, unknown.SkippedUsers, unknown.FailedUsers], [0, 0, 0]);

  const missing = await importCsv(poolId, 'cognito:username,email,email_verified\nkim,kim@example.com,true\n');
  assert.equal(missing.Status, 'Failed');
  assert.equal(missing.CompletionMessage, 'The CSV header is missing the required column cognito:mfa_enabled.');

  const twice = await importCsv(poolId, 'cognito:username,cognito:mfa_enabled,email,email\n');
  assert.equal(twice.CompletionMessage, 'The CSV header contains the column email more than once.');

  const empty = await importCsv(poolId, '');
  assert.equal(empty.Status, 'Failed');
  assert.equal(empty.CompletionMessage, 'The CSV file is empty.');

  const broken = await importCsv(poolId, 'cognito:username,cognito:mfa_enabled\n"kim,false\n');
  assert.equal(broken.Status, 'Failed');
  assert.match(broken.CompletionMessage ?? '', /^The CSV file could not be parsed \(CSV_[A-Z_]+ at line \d+\)\.$/);

  const job = await createJob(poolId);
  await server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  const none = await ended(poolId, job.JobId!);
  assert.equal(none.Status, 'Failed');
  assert.equal(none.CompletionMessage, 'No CSV file was uploaded to the pre-signed URL before the job was started.');
});

test('the pre-signed URL takes the CSV only with its token and the encryption header, until the job starts or the URL expires', async () => {
  const poolId = await emailPool();
  const job = await createJob(poolId);
  const url = new URL(job.PreSignedUrl!);

  const expectS3Error = async (response: Response, status: number, code: string, message: string): Promise<void> => {
    assert.equal(response.status, status);
    assert.match(response.headers.get('content-type') ?? '', /^application\/xml/);
    const body = await response.text();
    assert.ok(body.includes(`<Code>${code}</Code>`), body);
    assert.ok(body.includes(`<Message>${message}</Message>`), body);
  };
  const signature = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

  const wrongToken = new URL(url);
  wrongToken.searchParams.set('token', 'not-the-token');
  await expectS3Error(await upload(wrongToken.href, 'x'), 403, 'SignatureDoesNotMatch', signature);
  const noToken = new URL(url);
  noToken.search = '';
  await expectS3Error(await upload(noToken.href, 'x'), 403, 'SignatureDoesNotMatch', signature);
  await expectS3Error(await upload(url.href, 'x', {}), 403, 'SignatureDoesNotMatch', signature);
  const otherJob = new URL(url.href.replace(job.JobId!, 'import-doesNotExist'));
  await expectS3Error(await upload(otherJob.href, 'x'), 403, 'AccessDenied', 'Access Denied');

  // A second upload replaces the first.
  assert.equal((await upload(url.href, 'first\n')).status, 200);
  assert.equal((await upload(url.href, await csvFor(poolId, [user('lea')]))).status, 200);

  // Past its 15 minutes the URL no longer works (the upload is not signed with SigV4, so the clock can move).
  clock.advance(UPLOAD_URL_VALIDITY_MS + 1000);
  try {
    await expectS3Error(await upload(url.href, 'late'), 403, 'AccessDenied', 'Request has expired');
  } finally {
    clock.advance(-(UPLOAD_URL_VALIDITY_MS + 1000));
  }

  await server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  await expectS3Error(await upload(url.href, 'after the start'), 403, 'AccessDenied', 'Access Denied');
  const done = await ended(poolId, job.JobId!);
  assert.equal(done.ImportedUsers, 1, 'the second upload was imported');

  const tooBig = await fetch(url.href, {
    method: 'PUT',
    body: Buffer.alloc(100 * 1024 * 1024 + 1, 0x61),
    headers: { 'x-amz-server-side-encryption': 'aws:kms' },
  });
  await expectS3Error(tooBig, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
});

test('imported users get distinct version 4 UUIDs as subs, over batches', async () => {
  const poolId = await emailPool();
  const rows = Array.from({ length: 1200 }, (_, i) => user(`s${String(i).padStart(5, '0')}`));
  const done = await importCsv(poolId, await csvFor(poolId, rows));
  assert.equal(done.ImportedUsers, rows.length);
  const { users } = await server.services.store.users.list(poolId, undefined, 2000);
  const subs = users.map((u) => u.sub);
  assert.equal(subs.length, rows.length);
  for (const sub of subs) assert.match(sub, UUID_V4);
  assert.equal(new Set(subs).size, rows.length);
  assert.deepEqual(
    users.map((u) => u.attributes['sub']),
    subs,
  );
});

test('a character the file cuts between two of the parser’s slices is read whole', async () => {
  const poolId = await emailPool();
  const rows = Array.from({ length: Math.ceil(CSV_SLICE_BYTES / 60) }, (_, i) =>
    user(`c${String(i).padStart(5, '0')}`, { given_name: 'Zoë Åsa Ñoño' }),
  );
  // Padding the first row moves the slice's end until it falls inside a two-byte character.
  let csv = '';
  for (let pad = 0; pad < 200; pad++) {
    csv = await csvFor(poolId, [{ ...rows[0]!, family_name: 'x'.repeat(pad + 1) }, ...rows.slice(1)]);
    if ((Buffer.from(csv)[CSV_SLICE_BYTES]! & 0xc0) === 0x80) break;
  }
  assert.equal(Buffer.from(csv)[CSV_SLICE_BYTES]! & 0xc0, 0x80, 'the slice ends inside a character');
  const done = await importCsv(poolId, csv);
  assert.equal(done.ImportedUsers, rows.length);
  const { users } = await server.services.store.users.list(poolId, undefined, 2000);
  assert.deepEqual(new Set(users.map((u) => u.attributes['given_name'])), new Set(['Zoë Åsa Ñoño']));
});

test('a batch is sized to hold the database about 25 ms at the fastest recent rate, growing at most twofold', () => {
  assert.equal(nextBatchRows(500, [0.02]), 1000);
  assert.equal(nextBatchRows(1000, [0.02]), 1250);
  // One slow batch (the machine was busy, or SQLite checkpointed) does not shrink the next.
  assert.equal(nextBatchRows(1250, [0.02, 0.5]), 1250);
  // Never below the first batch's 500 rows.
  assert.equal(nextBatchRows(1250, [0.5]), 500);
  assert.equal(nextBatchRows(4000, [0.001]), 5000);
});

test('StopUserImportJob stops a running job, which keeps the users it created', async () => {
  const poolId = await emailPool();
  const rows = Array.from({ length: 3000 }, (_, i) => user(`u${String(i).padStart(5, '0')}`));
  const job = await createJob(poolId);
  assert.equal((await upload(job.PreSignedUrl!, await csvFor(poolId, rows))).status, 200);
  await server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  const stopping = await server.admin.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  assert.equal(stopping.UserImportJob?.Status, 'Stopping');
  const done = await ended(poolId, job.JobId!);
  assert.equal(done.Status, 'Stopped');
  assert.equal(done.CompletionMessage, 'The import job was stopped.');
  assert.ok(done.ImportedUsers! < rows.length, `stopped before the end (${done.ImportedUsers} imported)`);
  const stopAgain = await captureError(() => server.admin.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })));
  assert.equal(stopAgain.name, 'PreconditionNotMetException');
  assert.equal(stopAgain.message, `Import job ${job.JobId!} cannot be stopped: its status is Stopped.`);
});

test('every operation answers an unknown pool or job, and a job in the wrong status, with Cognito’s errors', async () => {
  const poolId = await emailPool();
  const ghostPool = 'us-east-1_doesNotExist';
  const ghostJob = 'import-doesNotExist';
  const poolErrors = [
    () => server.admin.send(new CreateUserImportJobCommand({ UserPoolId: ghostPool, JobName: 'x', CloudWatchLogsRoleArn: ROLE_ARN })),
    () => server.admin.send(new DescribeUserImportJobCommand({ UserPoolId: ghostPool, JobId: ghostJob })),
    () => server.admin.send(new ListUserImportJobsCommand({ UserPoolId: ghostPool, MaxResults: 10 })),
    () => server.admin.send(new StartUserImportJobCommand({ UserPoolId: ghostPool, JobId: ghostJob })),
    () => server.admin.send(new StopUserImportJobCommand({ UserPoolId: ghostPool, JobId: ghostJob })),
  ];
  for (const call of poolErrors) {
    const error = await captureError(call);
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, `User pool ${ghostPool} does not exist.`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
  const jobErrors = [
    () => server.admin.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: ghostJob })),
    () => server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: ghostJob })),
    () => server.admin.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: ghostJob })),
  ];
  for (const call of jobErrors) {
    const error = await captureError(call);
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, `User import job ${ghostJob} does not exist.`);
  }
  // A job of another pool is not found in this one.
  const otherPool = await emailPool();
  const elsewhere = await createJob(otherPool);
  const crossed = await captureError(() =>
    server.admin.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: elsewhere.JobId! })),
  );
  assert.equal(crossed.name, 'ResourceNotFoundException');

  const job = await createJob(poolId);
  const notRunning = await captureError(() => server.admin.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })));
  assert.equal(notRunning.name, 'PreconditionNotMetException');
  assert.equal(notRunning.message, `Import job ${job.JobId!} cannot be stopped: its status is Created.`);
  await server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  await ended(poolId, job.JobId!);
  const again = await captureError(() => server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! })));
  assert.equal(again.name, 'PreconditionNotMetException');
  assert.equal(again.message, `Import job ${job.JobId!} cannot be started: its status is Failed.`);

  const badId = await captureError(() => server.admin.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: 'job-1' })));
  assert.equal(badId.name, 'InvalidParameterException');
  assert.equal(
    badId.message,
    "1 validation error detected: Value 'job-1' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: import-[0-9a-zA-Z-]+",
  );
  const badName = await captureError(() =>
    server.admin.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'no/slashes', CloudWatchLogsRoleArn: ROLE_ARN })),
  );
  assert.equal(badName.name, 'InvalidParameterException');
  assert.match(badName.message, /^1 validation error detected: Value 'no\/slashes' at 'jobName' failed to satisfy constraint/);
});

test('a job not started within 24 hours is Expired and can no longer start', async () => {
  const poolId = await emailPool();
  const old = newImportJob(server.services, poolId, 'forgotten', ROLE_ARN);
  await server.services.store.userImportJobs.insert({ ...old, createdAt: clock.now() - UNSTARTED_JOB_LIFETIME_MS - 1000 });
  const described = await describe(poolId, old.jobId);
  assert.equal(described.Status, 'Expired');
  const start = await captureError(() => server.admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: old.jobId })));
  assert.equal(start.name, 'PreconditionNotMetException');
  assert.equal(start.message, `Import job ${old.jobId} cannot be started: its status is Expired.`);
  assert.equal(old.uploadTokenHash, sha256Hex(new URL(old.preSignedUrl).searchParams.get('token')!), 'only the token’s hash is kept');
});

test('ListUserImportJobs pages the pool’s jobs in creation order; MaxResults is required and 1-60', async () => {
  const poolId = await emailPool();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await createJob(poolId, `job ${i}`)).JobId!);
    clock.advance(1000);
  }
  const first = await server.admin.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }));
  assert.deepEqual(
    first.UserImportJobs?.map((j) => j.JobId),
    ids.slice(0, 2),
  );
  assert.ok(first.PaginationToken);
  const second = await server.admin.send(
    new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: first.PaginationToken }),
  );
  assert.deepEqual(
    second.UserImportJobs?.map((j) => j.JobId),
    ids.slice(2),
  );
  assert.equal(second.PaginationToken, undefined);
  assert.equal(second.UserImportJobs?.[0]?.JobName, 'job 2');

  const other = await server.admin.send(new ListUserImportJobsCommand({ UserPoolId: await emailPool(), MaxResults: 60 }));
  assert.deepEqual(other.UserImportJobs, []);

  for (const [MaxResults, constraint] of [
    [0, 'Member must have value greater than or equal to 1'],
    [61, 'Member must have value less than or equal to 60'],
  ] as const) {
    const error = await captureError(() => server.admin.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults })));
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(
      error.message,
      `1 validation error detected: Value '${MaxResults}' at 'maxResults' failed to satisfy constraint: ${constraint}`,
    );
  }
  const bad = await captureError(() =>
    server.admin.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: 'bogus' })),
  );
  assert.equal(bad.name, 'InvalidParameterException');
  assert.match(bad.message, /^Paging marker bogus is invalid for request /);
});

const cliSkip = awsCliVersion() === undefined && !process.env['CI'] ? 'the AWS CLI (`aws`) is not installed' : false;

test('the AWS CLI creates, starts and describes an import job by --endpoint-url alone', { skip: cliSkip }, async () => {
  const poolId = await emailPool();
  const credentials = await server.admin.config.credentials();
  const aws = async (...args: string[]): Promise<{ UserImportJob: UserImportJobType & { CreationDate: unknown } }> =>
    cliJson(await awsCli(server.url, credentials, 'us-east-1', 'cognito-idp', ...args));
  const created = await aws(
    'create-user-import-job',
    '--user-pool-id',
    poolId,
    '--job-name',
    'cli-import',
    '--cloud-watch-logs-role-arn',
    ROLE_ARN,
  );
  assert.equal(created.UserImportJob.Status, 'Created');
  assert.equal((await upload(created.UserImportJob.PreSignedUrl!, await csvFor(poolId, [user('max')]))).status, 200);
  const started = await aws('start-user-import-job', '--user-pool-id', poolId, '--job-id', created.UserImportJob.JobId!);
  assert.equal(started.UserImportJob.Status, 'Pending');
  await ended(poolId, created.UserImportJob.JobId!);
  const described = await aws('describe-user-import-job', '--user-pool-id', poolId, '--job-id', created.UserImportJob.JobId!);
  assert.equal(described.UserImportJob.Status, 'Succeeded');
  assert.equal(described.UserImportJob.ImportedUsers, 1);
});
