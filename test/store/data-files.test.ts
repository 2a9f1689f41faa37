import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer } from '../support/server.js';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

test('a first start on a fresh data folder creates it and its files for their owner only, under a umask of 022', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'cognate-modes-'));
  const dataDir = join(parent, 'data');
  const previous = process.umask(0o022);
  try {
    const server = await startTestServer({ dataDir, databaseUrl: `sqlite:${join(dataDir, 'cognate.db')}` });
    try {
      // A write, so SQLite has its write-ahead log and shared-memory files open.
      await server.admin.send(new CreateUserPoolCommand({ PoolName: 'modes' }));
      assert.equal(mode(dataDir), '700');
      for (const file of ['cognate.db', 'cognate.db-wal', 'cognate.db-shm', 'master.key']) {
        const path = join(dataDir, file);
        assert.ok(existsSync(path), `${file} exists`);
        assert.equal(mode(path), '600', `${file} is readable by its owner only`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    process.umask(previous);
    rmSync(parent, { recursive: true, force: true });
  }
});
