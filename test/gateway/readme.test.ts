import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { startCognate, type RunningCognate } from '../support/cli.js';
import { upstreamForTests } from '../support/upstream.js';

/*
 * The README's "API gateway" example as a new user tries it: its config file, with the upstream's
 * port, given to `cognate start`; then the two routes called as the README calls them.
 */

const upstream = upstreamForTests();
const dir = mkdtempSync(join(tmpdir(), 'cognate-readme-gateway-'));
let cognate: RunningCognate;

/** The README's JSON example of the gateway section, the first ```json block after its heading. */
function readmeExample(): { gatewayApis: { upstream: string }[] } {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### API gateway'));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has the example');
  return JSON.parse(block[1]!) as { gatewayApis: { upstream: string }[] };
}

before(async () => {
  await upstream.ready;
  const config = readmeExample();
  assert.equal(config.gatewayApis[0]!.upstream, 'http://127.0.0.1:3000');
  config.gatewayApis[0]!.upstream = upstream.url;
  writeFileSync(join(dir, 'cognate.json'), JSON.stringify(config));
  cognate = await startCognate({ COGNATE_CONFIG: join(dir, 'cognate.json'), COGNATE_PORT: '0', COGNATE_DATA_DIR: join(dir, 'data') }, dir);
});
after(async () => {
  await cognate?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the README's API: the user pool route wants a token, the IAM route takes a signed request", async () => {
  const orders = await fetch(`${cognate.url}/_api/orders/prod/orders/7`);
  assert.equal(orders.status, 401);
  assert.deepEqual(await orders.json(), { message: 'Unauthorized' });
  // On loopback the local admin key pair is accepted, and stands for the account.
  const aws = new AwsClient({ accessKeyId: 'local', secretAccessKey: 'local', service: 'execute-api', region: 'us-east-1', retries: 0 });
  const report = await aws.fetch(`${cognate.url}/_api/orders/prod/admin/reports`, { method: 'POST', body: '{}' });
  assert.equal(report.status, 200);
  assert.deepEqual(await report.json(), { method: 'POST', url: '/admin/reports', bytes: 2 });
});
