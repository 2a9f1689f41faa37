import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { migrateTo, migrateToLatest } from '../../src/store/database.js';
import type { Store, UserImportJobRecord } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine, type StoreHarness } from './harness.js';
import { T0, twoPools } from './fixtures.js';

function job(pool: string, over: Partial<UserImportJobRecord> = {}): UserImportJobRecord {
  const jobId = `import-${randomBytes(6).toString('hex')}`;
  return {
    poolId: pool,
    jobId,
    jobName: 'nightly',
    cloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/CognitoImport',
    status: 'Created',
    uploadTokenHash: randomBytes(32).toString('hex'),
    preSignedUrl: `http://localhost/_cognate/user-import/${jobId}?token=${randomBytes(8).toString('hex')}`,
    uploadExpiresAt: T0 + 900_000,
    importedUsers: 0,
    skippedUsers: 0,
    failedUsers: 0,
    completionMessage: null,
    createdAt: T0,
    startedAt: null,
    completedAt: null,
    ...over,
  };
}

/** The import job store cases, run on each engine; every case seeds two pools and checks they stay apart. */
function defineUserImportJobSuite(engine: StoreEngine): void {
  let h: StoreHarness;
  let store: Store;
  withFreshStore(engine, (fresh) => {
    h = fresh;
    store = fresh.store;
  });

  test('insert and get round-trip every field in one pool; the URL is sealed at rest', async () => {
    const { a, b } = await twoPools(store);
    const created = job(a);
    await store.userImportJobs.insert(created);
    assert.deepEqual(await store.userImportJobs.get(a, created.jobId), created);
    assert.equal(await store.userImportJobs.get(b, created.jobId), undefined);
    const { rows } = await sql<{ upload_url: string }>`select upload_url from user_import_jobs where job_id = ${created.jobId}`.execute(
      h.open.db,
    );
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.upload_url.includes('token='), 'the stored URL is not in clear');
  });

  test('list pages a pool’s jobs in creation order, then job ID, after a cursor', async () => {
    const { a, b } = await twoPools(store);
    const jobs = [job(a, { createdAt: T0 + 2 }), job(a, { createdAt: T0 + 1 }), job(a, { createdAt: T0 + 1 }), job(b)];
    for (const j of jobs) await store.userImportJobs.insert(j);
    const expected = jobs
      .filter((j) => j.poolId === a)
      .sort((x, y) => x.createdAt - y.createdAt || (x.jobId < y.jobId ? -1 : 1))
      .map((j) => j.jobId);
    const first = await store.userImportJobs.list(a, 2);
    assert.deepEqual(
      first.map((j) => j.jobId),
      expected.slice(0, 2),
    );
    const last = first[1]!;
    const rest = await store.userImportJobs.list(a, 2, { createdAt: last.createdAt, jobId: last.jobId });
    assert.deepEqual(
      rest.map((j) => j.jobId),
      expected.slice(2),
    );
  });

  test('update saves only from the given statuses', async () => {
    const { a } = await twoPools(store);
    const created = job(a);
    await store.userImportJobs.insert(created);
    const started = { ...created, status: 'Pending' as const, startedAt: T0 + 5 };
    assert.equal(await store.userImportJobs.update(started, ['InProgress']), false);
    assert.equal((await store.userImportJobs.get(a, created.jobId))?.status, 'Created');
    assert.equal(await store.userImportJobs.update(started, ['Created']), true);
    const done = {
      ...started,
      status: 'Succeeded' as const,
      importedUsers: 3,
      skippedUsers: 1,
      failedUsers: 2,
      completionMessage: 'Import Job Completed Successfully.',
      completedAt: T0 + 9,
    };
    assert.equal(await store.userImportJobs.update(done, ['Pending', 'InProgress']), true);
    assert.deepEqual(await store.userImportJobs.get(a, created.jobId), done);
  });

  test('the CSV is kept while the job is Created, replaced by a second upload, and refused after', async () => {
    const { a, b } = await twoPools(store);
    const created = job(a);
    await store.userImportJobs.insert(created);
    assert.equal(await store.userImportJobs.getCsv(a, created.jobId), undefined);
    assert.equal(await store.userImportJobs.putCsv(a, created.jobId, 'first'), true);
    assert.equal(await store.userImportJobs.putCsv(a, created.jobId, 'cognito:username\nalice'), true);
    assert.equal(await store.userImportJobs.getCsv(a, created.jobId), 'cognito:username\nalice');
    assert.equal(await store.userImportJobs.putCsv(b, created.jobId, 'elsewhere'), false);
    await store.userImportJobs.update({ ...created, status: 'Pending' }, ['Created']);
    assert.equal(await store.userImportJobs.putCsv(a, created.jobId, 'late'), false);
    assert.equal(await store.userImportJobs.getCsv(a, created.jobId), 'cognito:username\nalice');
  });

  test("a job's file goes with its pool, and nothing of another pool's", async () => {
    const { a, b } = await twoPools(store);
    const inA = job(a);
    const inB = job(b);
    await store.userImportJobs.insert(inA);
    await store.userImportJobs.insert(inB);
    await store.userImportJobs.putCsv(a, inA.jobId, 'a.csv');
    await store.userImportJobs.putCsv(b, inB.jobId, 'b.csv');
    await store.pools.delete(a);
    assert.equal(await store.userImportJobs.getCsv(a, inA.jobId), undefined);
    assert.equal(await store.userImportJobs.getCsv(b, inB.jobId), 'b.csv');
    assert.deepEqual(await h.open.db.selectFrom('user_import_files').select('pool_id').where('pool_id', 'in', [a, b]).execute(), [
      { pool_id: b },
    ]);
  });

  test('a file uploaded before 0028 moves to its own table with its job', async () => {
    const fresh = await engine.fresh();
    try {
      const { db } = fresh.open;
      await migrateTo(fresh.open, '0027-change-notifications');
      const uploaded = job('us-east-1_old');
      const waiting = job('us-east-1_old');
      for (const [record, csv] of [
        [uploaded, 'cognito:username\nalice'],
        [waiting, null],
      ] as const) {
        await sql`insert into user_import_jobs (pool_id, job_id, job_name, role_arn, status, upload_token_hash, upload_url, upload_expires_at, csv, imported_users, skipped_users, failed_users, created_at)
          values (${record.poolId}, ${record.jobId}, 'old', 'arn', 'Created', 'hash', 'sealed', ${T0}, ${csv}, 0, 0, 0, ${T0})`.execute(db);
      }
      await migrateToLatest(fresh.open);
      assert.equal(await fresh.store.userImportJobs.getCsv(uploaded.poolId, uploaded.jobId), 'cognito:username\nalice');
      assert.equal(await fresh.store.userImportJobs.getCsv(waiting.poolId, waiting.jobId), undefined);
      assert.equal((await fresh.store.userImportJobs.get(uploaded.poolId, uploaded.jobId))?.jobName, 'old');
    } finally {
      await fresh.close();
    }
  });
}

describeOnEachEngine('user import job store', defineUserImportJobSuite);
