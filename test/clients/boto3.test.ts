import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/server.js';
import { runningInCi } from '../support/postgres.js';

/*
 * boto3, as the README says it works: a small Python script (boto3-smoke.py) creates a pool, a
 * client and a user with admin calls (SigV4 by botocore), signs in with USER_PASSWORD_AUTH, reads
 * the user back, and meets a refused sign-in with its exact error code. Another
 * (boto3-identity.py) administers an identity pool with the cognito-identity client and asks the
 * sts client who the admin key pair is. A third (boto3-identities.py) exchanges a user pool ID token
 * for an identity ID, unsigned as apps call GetId, and administers the identities. A fourth
 * (boto3-developer-identities.py) runs developer-authenticated identities and principal tag maps.
 */

const here = dirname(fileURLToPath(import.meta.url));

function boto3Version(): string | undefined {
  try {
    return execFileSync('python3', ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8', timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
}
const version = boto3Version();
// In CI a missing boto3 is a failure (.ci/run installs Debian's python3-boto3); elsewhere a skip.
const skip = version === undefined && !runningInCi() ? 'boto3 is not installed (Debian package python3-boto3)' : false;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** Runs one of the Python scripts beside this file against the server, and parses the JSON it prints. */
async function runScript(name: string): Promise<unknown> {
  const script = join(here, name);
  const credentials = await server.admin.config.credentials();
  // Only what the script needs: nothing from the developer's own AWS setup leaks in.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ENDPOINT: server.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: join(here, '.no-aws-config', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(here, '.no-aws-config', 'credentials'),
  };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('python3', [script], { env, timeout: 120_000 }, (error, out, err) =>
      error ? reject(new Error(`${name} failed: ${error.message}\n${out}\n${err}`)) : resolve(out),
    ),
  );
  return JSON.parse(stdout);
}

test('boto3 sets up a pool, a client and a user, signs in, reads the user and gets the exact error', { skip }, async (t) => {
  assert.ok(version, 'boto3 is not importable by python3');
  t.diagnostic(`boto3 ${version}`);
  const result = (await runScript('boto3-smoke.py')) as {
    pool: string;
    tokenType: string;
    username: string;
    attributes: Record<string, string>;
    refused: { code: string; message: string; status: number } | null;
  };
  assert.match(result.pool, /^us-east-1_[A-Za-z0-9]{9}$/);
  assert.equal(result.tokenType, 'Bearer');
  assert.equal(result.username, 'alice');
  assert.equal(result.attributes['email'], 'alice@example.com');
  assert.match(result.attributes['sub'] ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(result.refused, { code: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
});

test("boto3's cognito-identity client runs an identity pool's life, and its sts client reads the caller in XML", { skip }, async () => {
  assert.ok(version, 'boto3 is not importable by python3');
  const result = (await runScript('boto3-identity.py')) as {
    pool: string;
    described: Record<string, unknown>;
    listed: string[];
    gone: { code: string; message: string; status: number } | null;
    caller: Record<string, string>;
  };
  assert.match(result.pool, /^us-east-1:[0-9a-f-]{36}$/);
  assert.deepEqual(result.described, {
    IdentityPoolName: 'boto3 renamed',
    AllowUnauthenticatedIdentities: false,
  });
  assert.deepEqual(result.listed, ['boto3 renamed']);
  assert.deepEqual(result.gone, { code: 'ResourceNotFoundException', message: `IdentityPool '${result.pool}' not found.`, status: 400 });
  assert.deepEqual(result.caller, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
});

test("boto3's cognito-identity client gets one identity ID for a user, unsigned, and administers the identities", { skip }, async () => {
  assert.ok(version, 'boto3 is not importable by python3');
  const result = (await runScript('boto3-identities.py')) as {
    provider: string;
    first: string;
    again: string;
    tokenFor: string;
    tokenParts: number;
    describedLogins: string[];
    createdIsDate: boolean;
    guest: string;
    listed: string[];
    unprocessed: unknown[];
    after: unknown[];
  };
  assert.match(result.first, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(result.again, result.first);
  assert.equal(result.tokenFor, result.first);
  assert.equal(result.tokenParts, 3);
  assert.deepEqual(result.describedLogins, [result.provider]);
  assert.equal(result.createdIsDate, true);
  assert.notEqual(result.guest, result.first);
  assert.deepEqual(result.listed, [result.first, result.guest].sort());
  assert.deepEqual(result.unprocessed, []);
  assert.deepEqual(result.after, []);
});

test("boto3's cognito-identity client runs developer-authenticated identities and principal tag maps", { skip }, async () => {
  assert.ok(version, 'boto3 is not importable by python3');
  const result = (await runScript('boto3-developer-identities.py')) as {
    ann: string;
    ben: string;
    tokenParts: number;
    merged: string;
    lookedUp: { id: string; users: string[] };
    afterUnlink: string[];
    refused: { code: string; message: string } | null;
    tagsSet: Record<string, unknown>;
    tags: Record<string, unknown>;
  };
  assert.match(result.ann, /^us-east-1:[0-9a-f-]{36}$/);
  assert.notEqual(result.ben, result.ann);
  assert.equal(result.tokenParts, 3);
  assert.equal(result.merged, result.ann);
  assert.deepEqual(result.lookedUp, { id: result.ann, users: ['ann', 'ben'] });
  assert.deepEqual(result.afterUnlink, ['ann']);
  assert.deepEqual(result.refused, {
    code: 'NotAuthorizedException',
    message: 'This identity pool does not support the specified developer provider',
  });
  const map = { IdentityProviderName: 'accounts.google.com', UseDefaults: true, PrincipalTags: { mail: 'email' } };
  assert.deepEqual(result.tagsSet, map);
  assert.deepEqual(result.tags, map);
});
