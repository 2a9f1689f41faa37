import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  AdminCreateUserCommand,
  ChangePasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError } from '../support/server.js';
import { createLogger } from '../../src/bootstrap.js';

test('no password, code, secret or token reaches a log line, at the most verbose level', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const server = await startTestServer({}, { logger: createLogger('trace', sink) });
  try {
    const pool = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'logs', AutoVerifiedAttributes: ['email'] }))).UserPool!
      .Id!;
    const created = await server.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool,
        ClientName: 'c',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = created.UserPoolClient!.ClientId!;
    const password = 'Secret-Passw0rd-Never-Logged';
    await server.anonymous.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'logan',
        Password: password,
        UserAttributes: [{ Name: 'email', Value: 'logan@example.com' }],
      }),
    );
    const code = (await server.lastMessage(pool, 'logan', 'signup'))!.code!;
    await server.anonymous.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'logan', ConfirmationCode: code }));
    const tokens = (
      await server.anonymous.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'logan', PASSWORD: password },
        }),
      )
    ).AuthenticationResult!;
    await server.anonymous.send(
      new ChangePasswordCommand({ AccessToken: tokens.AccessToken!, PreviousPassword: password, ProposedPassword: `${password}-2` }),
    );
    await captureError(() =>
      server.anonymous.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'logan', PASSWORD: 'Wrong-Passw0rd-Also-Secret' },
        }),
      ),
    );
    const temporary = 'Temp-Passw0rd-Never-Logged';
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: 'invited',
        TemporaryPassword: temporary,
        UserAttributes: [{ Name: 'email', Value: 'i@example.com' }],
      }),
    );

    const log = lines.join('');
    assert.ok(lines.length > 0, 'the server logged something at trace level');
    for (const secret of [
      password,
      `${password}-2`,
      'Wrong-Passw0rd-Also-Secret',
      temporary,
      code,
      tokens.AccessToken!,
      tokens.RefreshToken!,
      tokens.IdToken!,
      'local:local',
    ]) {
      assert.ok(!log.includes(secret), `a log line carries a secret: ${secret.slice(0, 12)}…`);
    }
  } finally {
    await server.stop();
  }
});
