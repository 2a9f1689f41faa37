import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AdminGetUserCommand, type CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { createClient, createPool, signUpUser, type TestClient } from '../api/users-fixtures.js';

// Link-style verification (VerificationMessageTemplate.DefaultEmailOption CONFIRM_WITH_LINK): the
// sign-up email carries a link to the pool's /confirmUser page instead of a code to type, and
// following the link confirms the user, also for an app client with a secret.

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

async function linkPool(
  template: CreateUserPoolCommandInput['VerificationMessageTemplate'],
): Promise<{ poolId: string; client: TestClient }> {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ['email'], VerificationMessageTemplate: template });
  return { poolId, client: await createClient(server, poolId, { GenerateSecret: true }) };
}

function linkIn(message: string): string {
  const href = /<a href="([^"]+)">/.exec(message)?.[1];
  assert.ok(href, `a link in ${message}`);
  return href.replaceAll('&amp;', '&');
}

async function status(poolId: string, username: string): Promise<string | undefined> {
  return (await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;
}

test("the link-style email links to the pool's /confirmUser page, which confirms the user once", async () => {
  const { poolId, client } = await linkPool({
    DefaultEmailOption: 'CONFIRM_WITH_LINK',
    EmailSubjectByLink: 'Welcome {username}',
    EmailMessageByLink: 'Hi {username}: {##Confirm my account##}. Or type {####}.',
  });
  await signUpUser(server, client, 'lina');
  const message = (await server.lastMessage(poolId, 'lina', 'signup'))!;
  assert.equal(message.subject, 'Welcome lina');
  const href = linkIn(message.message);
  const link = new URL(href);
  assert.equal(`${link.origin}${link.pathname}`, `${server.url}/${poolId}/confirmUser`);
  assert.deepEqual(Object.fromEntries(link.searchParams), {
    client_id: client.clientId,
    user_name: 'lina',
    confirmation_code: message.code,
  });
  assert.equal(message.message, `Hi lina: <a href="${href.replaceAll('&', '&amp;')}">Confirm my account</a>. Or type ${message.code}.`);

  const followed = await fetch(href);
  assert.equal(followed.status, 200);
  assert.match(await followed.text(), /Your registration has been confirmed!/);
  assert.equal(await status(poolId, 'lina'), 'CONFIRMED');

  const again = await fetch(href);
  assert.equal(again.status, 400);
  assert.match(await again.text(), /User cannot be confirmed. Current status is CONFIRMED/);
});

test("a pool without link texts gets Cognito's default link email; a wrong code is refused", async () => {
  const { poolId, client } = await linkPool({ DefaultEmailOption: 'CONFIRM_WITH_LINK' });
  await signUpUser(server, client, 'dora');
  const message = (await server.lastMessage(poolId, 'dora', 'signup'))!;
  assert.equal(message.subject, 'Your verification link');
  assert.match(message.message, /^Please click the link below to verify your email address\. <a href="[^"]+">Verify Email<\/a> $/);
  const wrong = new URL(linkIn(message.message));
  wrong.searchParams.set('confirmation_code', message.code === '000000' ? '111111' : '000000');
  const refused = await fetch(wrong);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /Invalid verification code provided, please try again\./);
  assert.equal(await status(poolId, 'dora'), 'UNCONFIRMED');
});
