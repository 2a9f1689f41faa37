import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/load.js';
import { SETTINGS } from '../../src/config/schema.js';

test('defaults: loopback, port 9229, SQLite under ./data, server-style issuer', () => {
  const config = loadConfig({});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 9229);
  assert.match(config.databaseUrl, /^sqlite:.*data\/cognate\.db$/);
  assert.equal(config.issuerStyle, 'server');
  assert.deepEqual(config.adminKeys, []);
});

test('COGNATE_* variables override a config file, which overrides defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-config-'));
  const file = join(dir, 'cognate.json');
  writeFileSync(file, JSON.stringify({ port: 7000, region: 'eu-west-1', adminKeys: [{ accessKeyId: 'AK', secretAccessKey: 'SK' }] }));
  const config = loadConfig({ COGNATE_CONFIG: file, COGNATE_PORT: '8000', COGNATE_ADMIN_KEYS: 'A1:S1,A2:S2' });
  assert.equal(config.port, 8000);
  assert.equal(config.region, 'eu-west-1');
  assert.deepEqual(config.adminKeys, [
    { accessKeyId: 'A1', secretAccessKey: 'S1' },
    { accessKeyId: 'A2', secretAccessKey: 'S2' },
  ]);
});

test('unknown settings are rejected, in the file and in the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-config-'));
  const file = join(dir, 'cognate.json');
  writeFileSync(file, JSON.stringify({ prot: 1 }));
  assert.throws(
    () => loadConfig({ COGNATE_CONFIG: file }),
    (e: unknown) => e instanceof ConfigError && /unknown setting "prot"/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ COGNATE_PROT: '1' }),
    (e: unknown) => e instanceof ConfigError && /COGNATE_PROT/.test(e.message),
  );
});

test('bad values name their source', () => {
  assert.throws(() => loadConfig({ COGNATE_PORT: 'http' }), /COGNATE_PORT: expected an integer/);
  assert.throws(() => loadConfig({ COGNATE_ISSUER_STYLE: 'google' }), /COGNATE_ISSUER_STYLE: expected one of server, aws/);
  assert.throws(() => loadConfig({ COGNATE_REGION: 'mars' }), /not a region name/);
  assert.throws(() => loadConfig({ COGNATE_MASTER_KEY: 'c2hvcnQ=' }), /32 bytes/);
  assert.throws(() => loadConfig({ COGNATE_ADMIN_KEYS: 'nocolon' }), /ACCESS_KEY_ID:SECRET/);
});

test('the README documents every setting', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const setting of SETTINGS) {
    assert.ok(readme.includes(`\`${setting.env}\``), `README lacks ${setting.env}`);
    assert.ok(readme.includes(`\`${setting.key}\``), `README lacks file key ${setting.key}`);
  }
});

/** What the kubelet injects into every pod of the namespace for a Service named `cognate` with ports 9229 (unnamed) and 443 (`https`, UDP too). */
const SERVICE_LINKS: Record<string, string> = {
  COGNATE_SERVICE_HOST: '10.0.0.1',
  COGNATE_SERVICE_PORT: '9229',
  COGNATE_SERVICE_PORT_HTTPS_ALT: '443',
  COGNATE_PORT: 'tcp://10.0.0.1:9229',
  COGNATE_PORT_9229_TCP: 'tcp://10.0.0.1:9229',
  COGNATE_PORT_9229_TCP_ADDR: '10.0.0.1',
  COGNATE_PORT_9229_TCP_PORT: '9229',
  COGNATE_PORT_9229_TCP_PROTO: 'tcp',
  COGNATE_PORT_443_UDP: 'udp://10.0.0.1:443',
  COGNATE_PORT_443_UDP_ADDR: '10.0.0.1',
  COGNATE_PORT_443_UDP_PORT: '443',
  COGNATE_PORT_443_UDP_PROTO: 'udp',
  // A second Service, `cognate-db`, on an IPv6 cluster IP.
  COGNATE_DB_SERVICE_HOST: 'fd00::a',
  COGNATE_DB_SERVICE_PORT: '5432',
  COGNATE_DB_PORT: 'tcp://[fd00::a]:5432',
  COGNATE_DB_PORT_5432_TCP: 'tcp://[fd00::a]:5432',
  COGNATE_DB_PORT_5432_TCP_ADDR: 'fd00::a',
  COGNATE_DB_PORT_5432_TCP_PORT: '5432',
  COGNATE_DB_PORT_5432_TCP_PROTO: 'tcp',
};

test('Kubernetes service-link variables are ignored with one warning naming them', () => {
  const warnings: string[] = [];
  const config = loadConfig({ ...SERVICE_LINKS, COGNATE_REGION: 'eu-west-1' }, {}, { warn: (message) => warnings.push(message) });
  assert.equal(config.port, 9229, 'COGNATE_PORT=tcp://... is a service link, not our port');
  assert.equal(config.region, 'eu-west-1');
  assert.equal(warnings.length, 1);
  for (const name of Object.keys(SERVICE_LINKS)) assert.ok(warnings[0]!.includes(name), `the warning names ${name}`);
  assert.match(warnings[0]!, /Kubernetes service/);
});

test('a real COGNATE_PORT next to service links is still the port', () => {
  const warnings: string[] = [];
  const { COGNATE_PORT: _link, ...others } = SERVICE_LINKS;
  const config = loadConfig({ ...others, COGNATE_PORT: '8080' }, {}, { warn: (message) => warnings.push(message) });
  assert.equal(config.port, 8080);
  assert.equal(warnings.length, 1);
  assert.ok(!warnings[0]!.includes('COGNATE_PORT,') && !warnings[0]!.endsWith('COGNATE_PORT'));
});

test('no warning without service links', () => {
  const warnings: string[] = [];
  loadConfig({ COGNATE_PORT: '8080' }, {}, { warn: (message) => warnings.push(message) });
  assert.deepEqual(warnings, []);
});

test('only the exact Kubernetes shapes are taken for service links; look-alikes are still rejected', () => {
  const quiet = { warn: () => undefined };
  for (const [name, value] of [
    ['COGNATE_PORT', 'http://10.0.0.1:9229'], // not a protocol Kubernetes writes
    ['COGNATE_PORT', 'tcp://10.0.0.1'], // no port
    ['COGNATE_SERVICE_HOST', 'cognate.example.com'], // a cluster IP, never a name
    ['COGNATE_SERVICE_PORT', 'http'],
    ['COGNATE_PORT_9229_TCP_PROTO', 'udp'], // the name says tcp
    ['COGNATE_PORT_9229_TCP_PORT', '9230'], // the name says 9229
    ['COGNATE_PORT_9229_TCP', 'tcp://10.0.0.1:9230'],
    ['COGNATE_PORT_9229_HTTP', 'tcp://10.0.0.1:9229'],
    ['COGNATE_SERVICE_HOSTS', '10.0.0.1'],
    ['COGNATE_TIMEOUT_PORT', 'tcp://10.0.0.1:80x'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [name]: value }, {}, quiet),
      (e: unknown) => e instanceof ConfigError && (e.message.includes(name) || e.message.startsWith(`${name}:`)),
      `${name}=${value}`,
    );
  }
});

test('connection timeouts and limit: defaults, overrides, and headers never longer than the whole request', () => {
  const defaults = loadConfig({});
  assert.deepEqual(
    [defaults.headersTimeout, defaults.requestTimeout, defaults.keepAliveTimeout, defaults.maxConnections],
    [10_000, 30_000, 72_000, 1000],
  );
  const set = loadConfig({
    COGNATE_HEADERS_TIMEOUT: '2000',
    COGNATE_REQUEST_TIMEOUT: '5000',
    COGNATE_KEEP_ALIVE_TIMEOUT: '65000',
    COGNATE_MAX_CONNECTIONS: '50',
  });
  assert.deepEqual([set.headersTimeout, set.requestTimeout, set.keepAliveTimeout, set.maxConnections], [2000, 5000, 65_000, 50]);
  assert.throws(() => loadConfig({ COGNATE_HEADERS_TIMEOUT: '0' }), /COGNATE_HEADERS_TIMEOUT: expected an integer/);
  assert.throws(() => loadConfig({ COGNATE_MAX_CONNECTIONS: 'many' }), /COGNATE_MAX_CONNECTIONS: expected an integer/);
  assert.throws(
    () => loadConfig({ COGNATE_HEADERS_TIMEOUT: '40000' }),
    /COGNATE_HEADERS_TIMEOUT: must not exceed requestTimeout \(30000\)/,
  );
});

test('adminOrigins: empty by default, origins as browsers send them, nothing else', () => {
  assert.deepEqual(loadConfig({}).adminOrigins, []);
  assert.deepEqual(loadConfig({ COGNATE_ADMIN_ORIGINS: 'https://console.example.com, http://localhost:5173/' }).adminOrigins, [
    'https://console.example.com',
    'http://localhost:5173',
  ]);
  for (const bad of ['*', 'console.example.com', 'https://console.example.com/admin', 'ftp://example.com', 'http://localhost:80']) {
    assert.throws(() => loadConfig({ COGNATE_ADMIN_ORIGINS: bad }), /COGNATE_ADMIN_ORIGINS: .* is not an origin/, bad);
  }
});

test('delivery settings: none by default, URLs of the right scheme, one SMS sender at most', () => {
  const defaults = loadConfig({});
  assert.deepEqual(
    [defaults.smtpUrl, defaults.smsWebhookUrl, defaults.snsEndpoint, defaults.emailFrom, defaults.deliveryTimeout],
    [undefined, undefined, undefined, 'no-reply@verificationemail.com', 5000],
  );
  const set = loadConfig({
    COGNATE_SMTP_URL: 'smtps://user:pass@mail.example.com:465',
    COGNATE_EMAIL_FROM: 'Example <auth@example.com>',
    COGNATE_SNS_ENDPOINT: 'http://localhost:4566',
    COGNATE_DELIVERY_TIMEOUT: '2000',
  });
  assert.deepEqual(
    [set.smtpUrl, set.emailFrom, set.snsEndpoint, set.deliveryTimeout],
    ['smtps://user:pass@mail.example.com:465', 'Example <auth@example.com>', 'http://localhost:4566', 2000],
  );
  assert.throws(
    () => loadConfig({ COGNATE_SMTP_URL: 'http://mail.example.com' }),
    /COGNATE_SMTP_URL: expected a smtp:\/\/ or smtps:\/\/ URL/,
  );
  assert.throws(
    () => loadConfig({ COGNATE_SMS_WEBHOOK_URL: 'sms.example.com' }),
    /COGNATE_SMS_WEBHOOK_URL: expected a http:\/\/ or https:\/\/ URL/,
  );
  assert.throws(() => loadConfig({ COGNATE_DELIVERY_TIMEOUT: '0' }), /COGNATE_DELIVERY_TIMEOUT: expected an integer/);
  assert.throws(
    () => loadConfig({ COGNATE_SMS_WEBHOOK_URL: 'https://sms.example.com/hook', COGNATE_SNS_ENDPOINT: 'http://localhost:4566' }),
    /set smsWebhookUrl or snsEndpoint, not both/,
  );
});
