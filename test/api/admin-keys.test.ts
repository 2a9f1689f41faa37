import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { boot } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/load.js';
import { LOCAL_ADMIN_KEY } from '../../src/config/schema.js';

const silent = pino({ level: 'silent' });

function configFor(dataDir: string, host: string) {
  return { ...loadConfig({}), host, dataDir, databaseUrl: `sqlite:${join(dataDir, 'cognate.db')}`, logLevel: 'silent' as const };
}

test('on loopback with no keys configured, the well-known local key pair is accepted', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-keys-'));
  const booted = await boot(configFor(dataDir, '127.0.0.1'), { logger: silent });
  try {
    assert.equal(booted.adminKeys.source, 'local-default');
    assert.equal(booted.services.secretFor(LOCAL_ADMIN_KEY.accessKeyId), LOCAL_ADMIN_KEY.secretAccessKey);
  } finally {
    await booted.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('bound beyond loopback, a key pair is generated once, kept sealed, and the local one is refused', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-keys-'));
  try {
    const first = await boot(configFor(dataDir, '0.0.0.0'), { logger: silent });
    const [generated] = first.adminKeys.keys;
    assert.equal(first.adminKeys.source, 'generated');
    assert.match(generated!.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(generated!.secretAccessKey.length, 40);
    assert.equal(first.services.secretFor(LOCAL_ADMIN_KEY.accessKeyId), undefined);
    const stored = await first.services.store.settings.get('admin-key');
    assert.ok(stored && !stored.includes(generated!.secretAccessKey), 'the stored key pair is sealed');
    await first.close();

    const second = await boot(configFor(dataDir, '0.0.0.0'), { logger: silent });
    assert.deepEqual(second.adminKeys.keys, [generated], 'the next start reuses the same pair');
    assert.equal(second.adminKeys.source, 'stored');
    await second.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
