import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, COMPATIBILITY_PATH, SECTIONS, categoryProblems, renderCompatibility } from '../../tools/compat.js';
import { operations } from '../../src/generated/cognito-idp/operations.js';
import { implemented } from '../../src/api/registry.js';
import { TRIGGER_SOURCES } from '../../src/triggers/sources.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the categories of tools/compat.ts list every modelled operation of every service exactly once', () => {
  assert.deepEqual(categoryProblems(), []);
  assert.equal(Object.keys(operations).length, 129);
  assert.equal(CATEGORIES.length, 21);
  assert.deepEqual(
    SECTIONS.map(({ service }) => [service.id, Object.keys(service.operations).length]),
    [
      ['cognito-idp', 129],
      ['cognito-identity', 23],
      ['cognito-sync', 17],
      ['sts', 11],
      ['iam', 16],
    ],
  );
});

test('docs/compatibility.md is up to date with the registry (run `npm run compat` after adding an operation)', () => {
  const path = join(root, COMPATIBILITY_PATH);
  assert.ok(existsSync(path), `${COMPATIBILITY_PATH} is missing: run \`npm run compat\``);
  const committed = readFileSync(path, 'utf8');
  const expected = renderCompatibility();
  if (committed !== expected) {
    const stale = Object.keys(operations).filter((name) => {
      const row = committed.split('\n').find((line) => line.startsWith(`| [${name}](`));
      const status = implemented.has(name as keyof typeof operations) ? 'implemented' : 'not yet';
      return row === undefined || !row.endsWith(`| ${status} |`);
    });
    assert.fail(
      `${COMPATIBILITY_PATH} is stale: run \`npm run compat\`.` + (stale.length ? ` Rows out of date: ${stale.join(', ')}.` : ''),
    );
  }
});

test("every operation row of every service carries its auth mode from the model and its status from the service's registry", () => {
  const page = renderCompatibility();
  for (const { service, reference } of SECTIONS) {
    for (const [name, model] of Object.entries(service.operations)) {
      const auth = model.auth === 'none' ? 'public' : 'SigV4';
      const status = service.implemented.has(name) ? 'implemented' : 'not yet';
      assert.ok(page.includes(`| [${name}](${reference}/API_${name}.html) | ${auth} | ${status} |`), `${service.id} ${name}`);
    }
  }
  assert.ok(
    page.includes(
      '| [CreateIdentityPool](https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html) | SigV4 | implemented |',
    ),
  );
  assert.ok(
    page.includes(
      '| [GetCallerIdentity](https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html) | SigV4 | implemented |',
    ),
  );
  assert.ok(
    page.includes(
      '| [AssumeRoleWithWebIdentity](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html) | public | implemented |',
    ),
  );
  assert.match(page, /^Regenerate this page with `npm run compat`/m);
  assert.match(page, /\| public \|/);
});

test('public operations are exactly the 32 the model leaves unsigned', () => {
  const publicOps = Object.entries(operations)
    .filter(([, model]) => model.auth === 'none')
    .map(([name]) => name);
  assert.equal(publicOps.length, 32);
  for (const name of ['InitiateAuth', 'RespondToAuthChallenge', 'SignUp', 'GetUser', 'RevokeToken'])
    assert.ok(publicOps.includes(name), name);
});

test('each trigger source the page calls fired names a test file that fires it', () => {
  const sources = TRIGGER_SOURCES.flatMap((t) => t.sources);
  assert.equal(new Set(sources.map((s) => s.source)).size, sources.length, 'a source is listed twice');
  for (const { source, provenBy } of sources) {
    if (provenBy === undefined) continue;
    const path = join(root, provenBy);
    assert.ok(existsSync(path), `${source}: ${provenBy} does not exist`);
    assert.ok(readFileSync(path, 'utf8').includes(source), `${source}: ${provenBy} never names it`);
  }
});
