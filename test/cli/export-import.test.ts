import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateGroupCommand,
  CreateIdentityProviderCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolDomainCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import SQLite from 'better-sqlite3';
import { FrozenClock } from '../../src/lib/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { boot } from '../../src/bootstrap.js';
import { srpVerifierOf } from '../../src/auth/passwords.js';
import { runCognate } from '../support/cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestSchema, testPostgresUrl, type TestSchema } from '../support/postgres.js';
import { srpClient } from '../support/srp-client.js';
import { totpAt } from '../support/totp.js';
import { secretHash } from '../api/auth-fixtures.js';
import { exportPools } from '../../src/export/export.js';
import { importPools, ImportError } from '../../src/export/import.js';
import { WrongExportKeyError } from '../../src/export/export-key.js';
import { deviceVerifierOf, sealDeviceVerifier } from '../../src/auth/devices.js';
import type { DeviceRecord } from '../../src/store/ports.js';

/**
 * Export from a server on SQLite, import into one on PostgreSQL (its own schema of
 * COGNATE_TEST_PG_URL's database; a second SQLite file when that is not set), and sign in there
 * with the old passwords by password, by SRP and with the old TOTP authenticator.
 */

const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = 'Export-Pass-9';

const dir = mkdtempSync(join(tmpdir(), 'cognate-export-'));
const clock = FrozenClock.atNow();
let source: TestServer;
let target: TestServer;
let schema: TestSchema | undefined;
let poolId: string;
let clientId: string;
let clientSecret: string;
let totpSecret: string;
const exported = join(dir, 'pools.jsonl');
const device: DeviceRecord = {
  poolId: '',
  usernameKey: 'alice',
  deviceKey: 'us-east-1_0b0c0d0e-1111-4222-8333-444455556666',
  deviceGroupKey: '-abcdefgh',
  status: 'confirmed',
  rememberedStatus: 'remembered',
  name: 'laptop',
  lastIpUsed: '192.0.2.1',
  sealedVerifier: null,
  createdAt: 1,
  lastModifiedAt: 1,
  lastAuthenticatedAt: null,
};
const deviceVerifier = { salt: 'ab12', verifier: 'cd34' };

function signIn(server: TestServer, username: string, flow: 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH', extra: Record<string, string>) {
  return server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: flow,
      ClientId: clientId,
      AuthParameters: { USERNAME: username, SECRET_HASH: secretHash(clientSecret, username, clientId), ...extra },
    }),
  );
}

async function createUser(username: string): Promise<void> {
  await source.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
  await source.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

before(async () => {
  source = await startTestServer({ databaseUrl: `sqlite:${join(dir, 'source.db')}` }, { clock });
  const pgUrl = testPostgresUrl();
  schema = pgUrl === undefined ? undefined : await createTestSchema(pgUrl);
  target = await startTestServer({ databaseUrl: schema?.url ?? `sqlite:${join(dir, 'target.db')}` }, { clock });

  const pool = await source.admin.send(new CreateUserPoolCommand({ PoolName: 'exported' }));
  poolId = pool.UserPool!.Id!;
  await source.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }),
  );
  const client = await source.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  clientSecret = client.UserPoolClient!.ClientSecret!;
  await source.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `export-${Date.now().toString(36)}` }));
  await source.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://api.example.com',
      Name: 'api',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }),
  );
  await source.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Corp',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'corp-client',
        client_secret: 'corp-upstream-secret',
        attributes_request_method: 'GET',
        oidc_issuer: 'https://idp.example.com',
        authorize_scopes: 'openid email',
        authorize_url: 'https://idp.example.com/authorize',
        token_url: 'https://idp.example.com/token',
        attributes_url: 'https://idp.example.com/userinfo',
        jwks_uri: 'https://idp.example.com/jwks',
      },
      AttributeMapping: { email: 'email' },
    }),
  );
  await source.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 }));
  await createUser('alice');
  await createUser('bob');
  await source.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'admins' }));

  // Bob enrols an authenticator app and makes it his MFA.
  const bob = await signIn(source, 'bob', 'USER_PASSWORD_AUTH', { PASSWORD });
  const accessToken = bob.AuthenticationResult!.AccessToken!;
  totpSecret = (await source.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode!;
  await source.anonymous.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpAt(totpSecret, clock.now()) }));
  await source.anonymous.send(
    new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );

  // Alice has a remembered device whose SRP verifier is sealed.
  device.poolId = poolId;
  await source.services.store.devices.insert({ ...device, sealedVerifier: sealDeviceVerifier(source.services, device, deviceVerifier) });
});

after(async () => {
  await source?.stop();
  await target?.stop();
  await schema?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('export writes every kind of record, with no secret in clear', async () => {
  const counts = await exportPools(source.services, { poolId, out: exported, passphrase: PASSPHRASE });
  assert.deepEqual(counts, {
    pool: 1,
    client: 1,
    group: 1,
    resourceServer: 1,
    domain: 1,
    identityProvider: 1,
    user: 2,
    membership: 1,
    device: 1,
  });
  const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(header['format'], 'cognate-export');
  assert.equal(header['version'], 1);
  assert.deepEqual(JSON.parse(lines.at(-1)!), { type: 'end', counts });
  const text = readFileSync(exported, 'utf8');
  for (const secret of [clientSecret, totpSecret, 'corp-upstream-secret', deviceVerifier.verifier]) {
    assert.ok(!text.includes(secret), `a secret in clear in the export file`);
  }
  // The argon2id hashes go as they are stored.
  assert.match(text, /"passwordHash":"\$argon2id\$/);
});

test('a file exported under another passphrase is refused and nothing is imported', async () => {
  await assert.rejects(importPools(target.services, { file: exported, passphrase: 'not the passphrase at all' }), (error: Error) => {
    assert.ok(error instanceof WrongExportKeyError);
    assert.match(error.message, /sealed under another key.*nothing was imported/);
    return true;
  });
  assert.equal(await target.services.store.pools.get(poolId), undefined);
});

test('a cut-off file is refused and nothing is imported', async () => {
  const cut = join(dir, 'cut.jsonl');
  const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
  writeFileSync(cut, lines.slice(0, -2).join('\n') + '\n');
  await assert.rejects(importPools(target.services, { file: cut, passphrase: PASSPHRASE }), (error: Error) => {
    assert.ok(error instanceof ImportError);
    assert.match(error.message, /ends before its end line.*nothing was imported/);
    return true;
  });
  assert.equal(await target.services.store.pools.get(poolId), undefined);
  assert.equal(await target.services.store.clients.getById(clientId), undefined);
});

test('a file that is not an export, of a newer version, or with records after its end is refused by line', async () => {
  const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!) as Record<string, unknown>;
  const cases: [string, RegExp][] = [
    ['{"UserPools": []}\n', /line 1: not a Cognate export file; nothing was imported$/],
    [
      `${JSON.stringify({ ...header, version: 2 })}\n`,
      /line 1: export format version 2; this Cognate reads version 1; nothing was imported$/,
    ],
    [`${[...lines, lines[1]!].join('\n')}\n`, new RegExp(`line ${lines.length + 1}: a record after the end line; nothing was imported$`)],
    [`${[lines[0]!, '{"type":"user","user":{"poolId":"x"}}'].join('\n')}\n`, /line 2: a user line outside its pool; nothing was imported$/],
  ];
  for (const [text, message] of cases) {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, text);
    await assert.rejects(importPools(target.services, { file: bad, passphrase: PASSPHRASE }), (error: Error) => {
      assert.ok(error instanceof ImportError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
  assert.equal(await target.services.store.pools.get(poolId), undefined);
});

test('after import the users sign in with their old passwords, by password, by SRP and with their TOTP app', async () => {
  const result = await importPools(target.services, { file: exported, passphrase: PASSPHRASE });
  assert.deepEqual(result.pools, [poolId]);
  assert.equal(result.counts.user, 2);

  const byPassword = await signIn(target, 'alice', 'USER_PASSWORD_AUTH', { PASSWORD });
  assert.equal(byPassword.AuthenticationResult?.TokenType, 'Bearer');
  const wrong = await signIn(target, 'alice', 'USER_PASSWORD_AUTH', { PASSWORD: 'Wrong-Pass-9' }).catch((error: Error) => error);
  assert.equal((wrong as Error).name, 'NotAuthorizedException');

  const srp = srpClient(poolId);
  const challenge = await signIn(target, 'alice', 'USER_SRP_AUTH', { SRP_A: srp.srpA });
  assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
  const userId = challenge.ChallengeParameters!['USER_ID_FOR_SRP']!;
  const verified = await target.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        ...srp.respond(challenge.ChallengeParameters!, PASSWORD),
        SECRET_HASH: secretHash(clientSecret, userId, clientId),
      },
    }),
  );
  assert.equal(verified.AuthenticationResult?.TokenType, 'Bearer');

  // The step bob's enrolment spent stays spent: his next code comes from the next step.
  clock.advance(30_000);
  const mfa = await signIn(target, 'bob', 'USER_PASSWORD_AUTH', { PASSWORD });
  assert.equal(mfa.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const answered = await target.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: mfa.Session!,
      ChallengeResponses: {
        USERNAME: 'bob',
        SOFTWARE_TOKEN_MFA_CODE: totpAt(totpSecret, clock.now()),
        SECRET_HASH: secretHash(clientSecret, 'bob', clientId),
      },
    }),
  );
  assert.equal(answered.AuthenticationResult?.TokenType, 'Bearer');
});

test('the pool keeps its client secret, group members, domain, resource server, provider secrets and devices', async () => {
  const client = await target.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.equal(client.UserPoolClient?.ClientSecret, clientSecret);
  const groups = await target.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice' }));
  assert.deepEqual(
    groups.Groups?.map((g) => g.GroupName),
    ['admins'],
  );
  const domains = await target.services.store.domains.listForPool(poolId);
  assert.equal(domains.length, 1);
  const described = await target.admin.send(new DescribeUserPoolDomainCommand({ Domain: domains[0]!.domain }));
  assert.equal(described.DomainDescription?.UserPoolId, poolId);
  assert.equal((await target.services.store.resourceServers.get(poolId, 'https://api.example.com'))?.name, 'api');
  const provider = await target.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
  assert.equal(provider.IdentityProvider?.ProviderDetails?.['client_secret'], 'corp-upstream-secret');
  const imported = await target.services.store.devices.get(poolId, device.deviceKey);
  assert.ok(imported);
  assert.deepEqual(deviceVerifierOf(target.services, imported), deviceVerifier);
  // Sealed again under the target's master key, which the source's does not open.
  assert.equal(deviceVerifierOf(source.services, imported), undefined);
});

test('a pool that exists is refused, and replaced with --replace', async () => {
  await assert.rejects(importPools(target.services, { file: exported, passphrase: PASSPHRASE }), (error: Error) => {
    assert.ok(error instanceof ImportError);
    assert.match(error.message, new RegExp(`user pool ${poolId} already exists \\(--replace.*nothing was imported`));
    return true;
  });
  await target.services.store.users.delete(poolId, 'bob');
  const replaced = await importPools(target.services, { file: exported, passphrase: PASSPHRASE, replace: true });
  assert.equal(replaced.counts.user, 2);
  assert.equal(await target.services.store.users.count(poolId), 2);
});

test('`cognate export`, `cognate import` and `cognate backup` run from the command line beside the serving source', async () => {
  const keyFile = join(dir, 'passphrase');
  writeFileSync(keyFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  const sourceEnv = { COGNATE_DATA_DIR: source.services.config.dataDir, COGNATE_DATABASE_URL: source.services.config.databaseUrl };
  const out = join(dir, 'cli.jsonl');
  const exportedText = await runCognate(['export', '--pool', poolId, '--out', out, '--key', keyFile], sourceEnv, dir);
  assert.equal(exportedText, `exported 1 user pools, 1 app clients and 2 users to ${out}\n`);

  const copyDir = join(dir, 'copy');
  const copyEnv = { COGNATE_DATA_DIR: copyDir, COGNATE_DATABASE_URL: `sqlite:${join(copyDir, 'cognate.db')}`, EXPORT_KEY: PASSPHRASE };
  const importedText = await runCognate(['import', out, '--key', 'env:EXPORT_KEY'], copyEnv, dir);
  assert.equal(importedText, `imported 1 user pools (${poolId}), 1 app clients and 2 users\n`);
  const copy = await boot({ ...loadConfig({}), dataDir: copyDir, databaseUrl: copyEnv.COGNATE_DATABASE_URL, logLevel: 'silent' });
  try {
    const pool = (await copy.services.store.pools.get(poolId))!;
    const alice = (await copy.services.store.users.get(poolId, 'alice'))!;
    assert.ok(srpVerifierOf(copy.services, pool, alice), 'the SRP verifier opens under the master key of the copy');
  } finally {
    await copy.close();
  }

  const backup = join(dir, 'backup.db');
  const backedUp = await runCognate(['backup', '--out', backup], sourceEnv, dir);
  assert.match(backedUp, new RegExp(`^backed up \\d+ pages \\(\\d+ bytes\\) to ${backup.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
  const db = new SQLite(backup, { readonly: true });
  try {
    const { n } = db.prepare('select count(*) as n from users where pool_id = ?').get(poolId) as { n: number };
    assert.equal(n, await source.services.store.users.count(poolId));
  } finally {
    db.close();
  }
  // The source serves on while and after the copy is made.
  const signedIn = await signIn(source, 'alice', 'USER_PASSWORD_AUTH', { PASSWORD });
  assert.equal(signedIn.AuthenticationResult?.TokenType, 'Bearer');
});
