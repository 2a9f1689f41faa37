import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Migrator } from 'kysely';
import { startTestServer } from '../support/server.js';
import { openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';

const run = promisify(execFile);

/** `cognate migrate` with only this data folder configured. */
async function migrate(dataDir: string): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COGNATE_')));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], {
    env: { ...env, COGNATE_DATA_DIR: dataDir, COGNATE_LOG_LEVEL: 'silent' },
    timeout: 120_000,
  });
  return stdout;
}

test('`cognate migrate` applies every migration to a new database, again harmlessly, and the server then serves from it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-migrate-'));
  try {
    assert.equal(await migrate(dataDir), 'migrations applied\n');
    const databaseUrl = `sqlite:${join(dataDir, 'cognate.db')}`;
    const database = openDatabase(databaseUrl);
    try {
      const migrations = await new Migrator({ db: database.db, provider: migrationProvider(database.dialect) }).getMigrations();
      assert.ok(migrations.length > 0);
      assert.deepEqual(
        migrations.filter((m) => m.executedAt === undefined).map((m) => m.name),
        [],
        'every migration is applied',
      );
    } finally {
      await database.close();
    }
    assert.equal(await migrate(dataDir), 'migrations applied\n');

    const server = await startTestServer({ dataDir, databaseUrl });
    try {
      await server.admin.send(new CreateUserPoolCommand({ PoolName: 'after-migrate' }));
      const pools = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      assert.deepEqual(
        pools.UserPools?.map((p) => p.Name),
        ['after-migrate'],
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
