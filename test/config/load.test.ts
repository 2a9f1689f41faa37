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
