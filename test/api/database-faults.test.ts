import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { captureError, startTestServer } from '../support/server.js';

async function ready(url: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
}

/** A data folder of its own on SQLite, whatever engine the other API tests run on. */
function sqliteDataDir(): { dataDir: string; databaseUrl: string; file: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-faults-'));
  const file = join(dataDir, 'cognate.db');
  return { dataDir, databaseUrl: `sqlite:${file}`, file, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

test('a SQLite write lock held by another connection: InternalErrorException, not ready, and both recover after', async () => {
  const data = sqliteDataDir();
  const server = await startTestServer({ dataDir: data.dataDir, databaseUrl: data.databaseUrl, databaseBusyTimeout: 50 });
  const other = new SQLite(data.file);
  try {
    const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'faults' }))).UserPool!.Id!;
    assert.deepEqual(await ready(server.url), { status: 200, body: { status: 'ok' } });

    other.exec('begin immediate');
    const error = await captureError(() =>
      server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'blocked' })),
    );
    assert.equal(error.name, 'InternalErrorException');
    assert.equal(error.message, 'An internal error occurred.');
    assert.equal(error.$metadata?.httpStatusCode, 500);
    assert.deepEqual(await ready(server.url), {
      status: 503,
      body: { status: 'unavailable', reason: 'the database is busy or unavailable' },
    });

    other.exec('rollback');
    assert.deepEqual(await ready(server.url), { status: 200, body: { status: 'ok' } });
    const created = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'after' }));
    assert.equal(created.UserPoolClient?.ClientName, 'after');
  } finally {
    if (other.inTransaction) other.exec('rollback');
    other.close();
    await server.stop();
    data.remove();
  }
});

test('a start with a master key other than the one that sealed the stored secrets is not ready, and says why without the key', async () => {
  const data = sqliteDataDir();
  const first = randomBytes(32).toString('base64');
  const second = randomBytes(32).toString('base64');
  try {
    const original = await startTestServer({ dataDir: data.dataDir, databaseUrl: data.databaseUrl, masterKey: first });
    try {
      await original.admin.send(new CreateUserPoolCommand({ PoolName: 'sealed' }));
      assert.equal((await ready(original.url)).status, 200);
    } finally {
      await original.stop();
    }

    const wrong = await startTestServer({ dataDir: data.dataDir, databaseUrl: data.databaseUrl, masterKey: second });
    try {
      const response = await fetch(`${wrong.url}/health/ready`);
      const text = await response.text();
      assert.equal(response.status, 503);
      assert.deepEqual(JSON.parse(text), { status: 'unavailable', reason: 'the master key does not open the stored secrets' });
      for (const key of [first, second]) assert.ok(!text.includes(key), 'the answer carries no key');
    } finally {
      await wrong.stop();
    }
  } finally {
    data.remove();
  }
});
