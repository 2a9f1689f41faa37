import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  AdminCreateUserCommand,
  ChangePasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError } from '../support/server.js';
import { createLogger } from '../../src/bootstrap.js';
import { secretHash } from './auth-fixtures.js';

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

    // A client with a secret: the secret travels back from CreateUserPoolClient, SECRET_HASH with
    // sign-in, and the secret itself with GetTokensFromRefreshToken.
    const confidential = await server.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool,
        ClientName: 'confidential',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const secretClientId = confidential.UserPoolClient!.ClientId!;
    const clientSecret = confidential.UserPoolClient!.ClientSecret!;
    const hash = secretHash(clientSecret, 'logan', secretClientId);
    const secretTokens = (
      await server.anonymous.send(
        new InitiateAuthCommand({
          ClientId: secretClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'logan', PASSWORD: `${password}-2`, SECRET_HASH: hash },
        }),
      )
    ).AuthenticationResult!;
    const refreshed = await server.anonymous.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: secretClientId,
        RefreshToken: secretTokens.RefreshToken!,
        ClientSecret: clientSecret,
      }),
    );
    assert.ok(refreshed.AuthenticationResult?.AccessToken);

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
      clientSecret,
      hash,
      secretTokens.RefreshToken!,
      refreshed.AuthenticationResult!.AccessToken!,
    ]) {
      assert.ok(!log.includes(secret), `a log line carries a secret: ${secret.slice(0, 12)}…`);
    }
  } finally {
    await server.stop();
  }
});
