import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { runCognate, startCognate, type RunningCognate } from '../support/cli.js';
import { captureError } from '../support/server.js';

/*
 * Triggers tried as a new user tries them (issue #11): two handlers copied from AWS's developer
 * guide into a folder (test/fixtures/aws-handlers/), `cognate start` run in that folder with
 * COGNATE_FUNCTIONS naming the files, a pool made with the AWS SDK whose LambdaConfig names the
 * functions' ARNs, and Amplify v6 signing in as a user who exists only in the legacy directory the
 * migration handler knows. Nothing here reaches into the server: only its endpoint, its well-known
 * loopback keys (local/local), and its own `cognate invocations` command.
 */

const HANDLERS = fileURLToPath(new URL('../fixtures/aws-handlers/', import.meta.url));
const FUNCTIONS = JSON.stringify({
  migrate: { module: './user-migration.mjs' },
  'token-claims': { module: './pre-token-generation.mjs' },
  'token-claims-cjs': { module: './commonjs/index.js' },
});
const MIGRATE = 'arn:aws:lambda:us-east-1:000000000000:function:migrate';
const TOKEN_CLAIMS = 'arn:aws:lambda:us-east-1:000000000000:function:token-claims';

const dataDir = mkdtempSync(join(tmpdir(), 'cognate-trial-'));
const env = { COGNATE_DATA_DIR: dataDir, COGNATE_PORT: '0', COGNATE_LOG_LEVEL: 'warn', COGNATE_FUNCTIONS: FUNCTIONS };
let cognate: RunningCognate;
let admin: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

before(async () => {
  cognate = await startCognate(env, HANDLERS);
  admin = new CognitoIdentityProviderClient({
    endpoint: cognate.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const pool = await admin.send(
    new CreateUserPoolCommand({ PoolName: 'trial', LambdaConfig: { UserMigration: MIGRATE, PreTokenGeneration: TOKEN_CLAIMS } }),
  );
  poolId = pool.UserPool!.Id!;
  const client = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  configureAmplify(poolId, clientId);
});

function configureAmplify(userPoolId: string, userPoolClientId: string): void {
  Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: cognate.url } } });
}

after(async () => {
  await signOut().catch(() => undefined);
  admin?.destroy();
  const code = await cognate?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  assert.equal(code, 0, 'cognate start exits 0 on SIGTERM');
});

/** The ID token Amplify holds after a sign-in. */
async function idTokenClaims(): Promise<Record<string, unknown>> {
  const session = await fetchAuthSession();
  assert.ok(session.tokens?.idToken, 'Amplify holds an ID token');
  return session.tokens.idToken.payload as Record<string, unknown>;
}

test("a legacy user signs in with Amplify: migrated by AWS's handler, with the claims AWS's pre token handler adds", async () => {
  // A wrong password is refused by the handler ("Bad password"), and no user is created.
  const refused = await captureError(() =>
    signIn({ username: 'belladonna', password: 'Wrong-Pass-1', options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
  );
  assert.equal(refused.name, 'UserNotFoundException');
  const notYet = await captureError(() => admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'belladonna' })));
  assert.equal(notYet.name, 'UserNotFoundException');

  // Migration needs the password, so the app asks for USER_PASSWORD_AUTH (SRP never sends it).
  const first = await signIn({ username: 'belladonna', password: 'Legacy-Pass-1', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  assert.deepEqual(first, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const claims = await idTokenClaims();
  assert.equal(claims['cognito:username'], 'belladonna');
  assert.equal(claims['my_first_attribute'], 'first_value');
  assert.equal(claims['my_second_attribute'], 'second_value');
  assert.equal(claims['email'], undefined, 'the handler suppressed email');
  assert.equal(claims['email_verified'], true);

  const migrated = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'belladonna' }));
  assert.equal(migrated.UserStatus, 'CONFIRMED');
  assert.equal(migrated.UserAttributes?.find((a) => a.Name === 'email')?.Value, 'bella@example.com');
  await signOut();

  // The user lives in the pool now: without the migration trigger, Amplify's default sign-in (SRP)
  // works with the migrated password, and the pre token handler still shapes the ID token.
  await admin.send(new UpdateUserPoolCommand({ UserPoolId: poolId, LambdaConfig: { PreTokenGeneration: TOKEN_CLAIMS } }));
  const second = await signIn({ username: 'belladonna', password: 'Legacy-Pass-1' });
  assert.deepEqual(second, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const again = await idTokenClaims();
  assert.equal(again['my_first_attribute'], 'first_value');
  assert.equal(again['sub'], claims['sub'], 'the same user');
  await signOut();

  // What the developer sees with `cognate invocations`: each handler, each source, each outcome.
  const invocations = JSON.parse(await runCognate(['invocations', '--pool', poolId, '--json'], env, HANDLERS)) as {
    triggerSource: string;
    outcome: string;
  }[];
  const seen = invocations.map((i) => `${i.triggerSource} ${i.outcome}`).reverse();
  assert.deepEqual(seen.filter((line) => line.startsWith('UserMigration_')).length, 2, seen.join('\n'));
  assert.match(seen[0]!, /^UserMigration_Authentication (?!ok)/, 'the wrong password: the handler threw');
  assert.deepEqual(seen.slice(1), [
    'UserMigration_Authentication ok',
    'TokenGeneration_Authentication ok',
    'TokenGeneration_Authentication ok',
  ]);
});

test('a CommonJS index.js inside a "type": "module" package fails the sign-in, and `cognate invocations` says why and how to fix it', async () => {
  const pool = await admin.send(
    new CreateUserPoolCommand({
      PoolName: 'commonjs',
      LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:us-east-1:000000000000:function:token-claims-cjs' },
    }),
  );
  const cjsPoolId = pool.UserPool!.Id!;
  const client = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: cjsPoolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: cjsPoolId,
      Username: 'carol',
      MessageAction: 'SUPPRESS',
      TemporaryPassword: 'Temporary-Pass-1',
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: cjsPoolId, Username: 'carol', Password: 'Correct-Horse-9', Permanent: true }),
  );
  configureAmplify(cjsPoolId, client.UserPoolClient!.ClientId!);
  try {
    const failed = await captureError(() => signIn({ username: 'carol', password: 'Correct-Horse-9' }));
    assert.equal(failed.name, 'UnexpectedLambdaException');
    assert.equal(failed.message, 'PreTokenGeneration invocation failed.');
  } finally {
    configureAmplify(poolId, clientId);
  }
  const [invocation] = JSON.parse(await runCognate(['invocations', '--pool', cjsPoolId, '--json'], env, HANDLERS)) as {
    outcome: string;
    detail: string;
  }[];
  assert.equal(invocation?.outcome, 'failed');
  // Node's own words, as Lambda reports them, rather than a handler that silently exports nothing.
  assert.match(invocation.detail, /commonjs\/index\.js: exports is not defined in ES module scope/);
  assert.match(invocation.detail, /rename it to use the '\.cjs' file extension/, 'and the fix');
});
