import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminRespondToAuthChallengeCommand,
  CreateUserPoolClientCommand,
  SetRiskConfigurationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import { codeInMail, serverWithSmtpSink, type SmtpSink } from '../support/smtp.js';
import { createConfirmedUser } from '../oauth/helpers.js';
import { enforcedEmailMfaPool } from './threat-protection-fixtures.js';

/*
 * Adaptive authentication's notification over real SMTP (smtp-server, read back with mailparser):
 * a risky sign-in that MFA_IF_CONFIGURED challenges sends the MfaEmail, from NotifyConfiguration's
 * addresses, with its HTML and text parts, and then the MFA code.
 */

const PASSWORD = 'Xk2-pQ9-vLr7-Secret';
let server: TestServer;
let sink: SmtpSink;
serverWithSmtpSink((started, startedSink) => {
  server = started;
  sink = startedSink;
});

/** An admin sign-in as if the back end's user were at `ip` (AdminInitiateAuth's ContextData). */
function adminSignIn(poolId: string, clientId: string, ip: string) {
  return server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'mia', PASSWORD },
      ContextData: { IpAddress: ip, ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [] },
    }),
  );
}

test("MFA_IF_CONFIGURED with Notify emails the MfaEmail over SMTP from NotifyConfiguration's addresses, then the MFA code", async () => {
  const poolId = await enforcedEmailMfaPool(server, 'notify');
  await server.admin.send(
    new SetRiskConfigurationCommand({
      UserPoolId: poolId,
      AccountTakeoverRiskConfiguration: {
        NotifyConfiguration: {
          SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
          From: 'Security <security@example.com>',
          ReplyTo: 'help@example.com',
          MfaEmail: {
            Subject: 'Confirm it is you, {username}',
            HtmlBody: '<p>Sign-in from <b>{ip-address}</b>. <a href="{one-click-link-invalid}">Not me</a></p>',
            TextBody: 'Sign-in from {ip-address}. Not me: {one-click-link-invalid}',
          },
        },
        Actions: { LowAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: true } },
      },
    }),
  );
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  await createConfirmedUser(server, poolId, 'mia', PASSWORD, { email: 'mia@example.com', email_verified: 'true' });

  assert.ok((await adminSignIn(poolId, clientId, '192.0.2.10')).AuthenticationResult, 'no risk: signed in, nothing sent');
  const challenge = await adminSignIn(poolId, clientId, '198.51.100.77');
  assert.equal(challenge.ChallengeName, 'EMAIL_OTP');

  const { mail, envelope } = await sink.nth(1);
  assert.deepEqual(envelope.to, ['mia@example.com']);
  assert.equal(mail.from?.value[0]?.address, 'security@example.com');
  assert.equal(mail.replyTo?.value[0]?.address, 'help@example.com');
  assert.equal(mail.subject, 'Confirm it is you, mia');
  assert.match(
    String(mail.html),
    /^<p>Sign-in from <b>198\.51\.100\.77<\/b>\. <a href="http:\/\/[^"]+\/riskFeedback\?[^"]+">Not me<\/a><\/p>/,
  );
  assert.match(mail.text ?? '', /^Sign-in from 198\.51\.100\.77\. Not me: http:\/\/\S+\/riskFeedback\?\S*feedback_value=invalid/);
  const [event] = (await server.admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'mia' }))).AuthEvents ?? [];
  assert.equal(event?.EventResponse, 'InProgress');
  assert.ok(String(mail.html).includes(`event_id=${event?.EventId}`), "the links name the sign-in's auth event");

  // Then the MFA code, which completes the sign-in.
  const code = codeInMail((await sink.nth(2)).mail);
  const answered = await server.admin.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'EMAIL_OTP',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: 'mia', EMAIL_OTP_CODE: code },
    }),
  );
  assert.ok(answered.AuthenticationResult?.AccessToken);
});
