/**
 * Over the wire: a value built to make a backtracking engine explode is answered promptly with
 * AWS's validation error, and the server keeps serving other requests meanwhile.
 *
 * The deadline is a guard against a catastrophic blow-up (orders of magnitude), not a timing test:
 * before the model's patterns ran in linear time this request held the event loop for about 19 s.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolCommand, ListUserPoolsCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';

const DEADLINE_MS = 10_000;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

test('a 12 KB EmailMessageByLink is refused promptly while a concurrent ListUserPools is served', async () => {
  const pool = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'blow-up' }));
  const poolId = pool.UserPool!.Id!;
  // '{##' and '##}' everywhere and one character outside the pattern at the end: cubic backtracking.
  const byLink = '{##}'.repeat(3000) + '\u0000';
  assert.ok(byLink.length > 12_000);

  const started = performance.now();
  const [refused, listed] = await Promise.all([
    captureError(() =>
      server.admin.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK', EmailMessageByLink: byLink },
        }),
      ),
    ),
    server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 })),
  ]);
  const elapsed = performance.now() - started;

  assert.equal(refused.name, 'InvalidParameterException');
  assert.equal(
    refused.message,
    `1 validation error detected: Value '${byLink}' at 'verificationMessageTemplate.emailMessageByLink' failed to satisfy constraint: ` +
      'Member must satisfy regular expression pattern: ' +
      '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{##[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*##\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*',
  );
  assert.ok(
    listed.UserPools?.some((p) => p.Id === poolId),
    'the concurrent ListUserPools is answered with the pool',
  );
  assert.ok(elapsed < DEADLINE_MS, `both answers took ${Math.round(elapsed)} ms`);
});
