import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer, type TestServer } from '../support/server.js';
import { codeInMail, downSmtpUrl, startSmtpSink, type SmtpSink, type SmtpSinkOptions } from '../support/smtp.js';
import { confirmedUser, createClient, createPool, signUpUser } from '../api/users-fixtures.js';
import { createLogger } from '../../src/bootstrap.js';
import { waitUntil } from '../support/wait.js';

// A mail server that is down, refuses or stalls: the request answers Cognito's
// CodeDeliveryFailureException within the delivery timeout, the user it created stays (as Cognito
// keeps it), no undelivered code works, the inbox keeps no copy, and no log line carries the code.

/** The delivery timeout where a test waits for it to end a stalled send. */
const SHORT_TIMEOUT_MS = 300;
/** Far above any send on a loaded machine: where the mail server's own answer must end the send. */
const LONG_TIMEOUT_MS = 30_000;
const EMAIL_FAILURE = 'Invalid email provided/Unable to send the email';

interface Harness {
  server: TestServer;
  sink: SmtpSink | undefined;
  lines: string[];
}

async function withMailServer(
  options: SmtpSinkOptions | 'down',
  run: (harness: Harness) => Promise<void>,
  deliveryTimeout = LONG_TIMEOUT_MS,
): Promise<void> {
  const sink = options === 'down' ? undefined : await startSmtpSink(options);
  const lines: string[] = [];
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const server = await startTestServer(
    { smtpUrl: sink?.url ?? (await downSmtpUrl()), deliveryTimeout },
    { logger: createLogger('trace', logs) },
  );
  try {
    await run({ server, sink, lines });
  } finally {
    await server.stop();
    await sink?.stop();
  }
}

async function emailPool(server: TestServer): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'] });
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

/** SignUp fails with the delivery error; the user stays UNCONFIRMED with no code, and the inbox has nothing. */
async function assertFailedSignUp(server: TestServer): Promise<void> {
  const { poolId, clientId } = await emailPool(server);
  const error = await captureError(() => signUpUser(server, clientId, 'una'));
  assert.equal(error.name, 'CodeDeliveryFailureException');
  assert.equal(error.message, EMAIL_FAILURE);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'una' }));
  assert.equal(user.UserStatus, 'UNCONFIRMED');
  assert.equal(await server.services.store.codes.get(poolId, 'una', 'signup'), undefined, 'the undelivered code was deleted');
  assert.equal(await server.lastMessage(poolId, 'una'), undefined, 'no inbox copy of an undelivered code');
}

test('a mail server that is down: SignUp answers CodeDeliveryFailureException', async () => {
  await withMailServer('down', async ({ server }) => assertFailedSignUp(server));
});

test('a mail server that refuses the recipient: SignUp answers CodeDeliveryFailureException', async () => {
  await withMailServer({ refuse: 'recipient' }, async ({ server }) => assertFailedSignUp(server));
});

test('a mail server that never greets: SignUp answers CodeDeliveryFailureException after the timeout', async () => {
  await withMailServer({ stall: 'greeting' }, async ({ server }) => assertFailedSignUp(server), SHORT_TIMEOUT_MS);
});

test('a mail server whose STARTTLS certificate is not trusted gets no mail, unless the URL says to accept it', async () => {
  await withMailServer({ starttls: true }, async ({ server }) => assertFailedSignUp(server));
  const sink = await startSmtpSink({ starttls: true });
  const server = await startTestServer({ smtpUrl: `${sink.url}?tls.rejectUnauthorized=false` });
  try {
    const { poolId, clientId } = await emailPool(server);
    await signUpUser(server, clientId, 'tess');
    assert.match(codeInMail((await sink.nth(1)).mail), /^\d{6}$/);
    assert.equal((await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tess' }))).UserStatus, 'UNCONFIRMED');
  } finally {
    await server.stop();
    await sink.stop();
  }
});

test('a refused invitation: AdminCreateUser answers CodeDeliveryFailureException and the user stays, as on Cognito', async () => {
  await withMailServer({ refuse: 'recipient' }, async ({ server }) => {
    const { poolId } = await emailPool(server);
    const error = await captureError(() =>
      server.admin.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'inga',
          DesiredDeliveryMediums: ['EMAIL'],
          UserAttributes: [{ Name: 'email', Value: 'inga@example.com' }],
        }),
      ),
    );
    assert.equal(error.name, 'CodeDeliveryFailureException');
    assert.equal(error.message, EMAIL_FAILURE);
    const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'inga' }));
    assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
  });
});

test('a message refused after DATA: ForgotPassword fails, and the code in it reaches no log line', async () => {
  await withMailServer({ refuse: 'data' }, async ({ server, sink, lines }) => {
    const { poolId, clientId } = await emailPool(server);
    await confirmedUser(server, poolId, 'fern');
    const error = await captureError(() => server.anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fern' })));
    assert.equal(error.name, 'CodeDeliveryFailureException');
    const code = codeInMail(sink!.refused[0]!.mail);
    assert.equal(await server.services.store.codes.get(poolId, 'fern', 'forgot-password'), undefined);
    const failure = lines.find((line) => line.includes('message delivery failed'));
    assert.ok(failure, 'the failure is logged');
    assert.match(failure, /"reason":"EMESSAGE 554"/);
    assert.deepEqual(
      lines.filter((line) => line.includes(code)),
      [],
    );
  });
});

test('a slow send does not hold the server: another request is answered while SignUp waits for the mail server', async () => {
  await withMailServer(
    { stall: 'data' },
    async ({ server, sink }) => {
      const { poolId, clientId } = await emailPool(server);
      let settled = false;
      const pending = signUpUser(server, clientId, 'sam').finally(() => {
        settled = true;
      });
      // The mail server holds the message until released: SignUp is waiting on it.
      await waitUntil(
        async () => (await server.services.store.users.get(poolId, 'sam')) !== undefined,
        'SignUp to create the user and start sending',
      );
      const described = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(described.UserPool?.Id, poolId);
      assert.equal(settled, false, 'SignUp is still waiting for the mail server');
      sink!.release();
      await pending;
      assert.match(codeInMail((await sink!.nth(1)).mail), /^\d{6}$/);
    },
    // Far above the time a DescribeUserPool takes: the mail server, not the timeout, ends the wait.
    LONG_TIMEOUT_MS,
  );
});
