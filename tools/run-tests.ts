/**
 * The test command (`npm test` runs it after the type check): every test file on SQLite, then the
 * API and OAuth tests (test/api, test/oauth) again on PostgreSQL, each test server in a schema of its
 * own so files run in parallel.
 *
 * The page tests (test/pages) and the client library tests (test/clients) run on SQLite only: they
 * check rendering and browser flows, and what each client library sends and reads, and every store
 * call behind them is an operation the API and OAuth tests already run on PostgreSQL. The pages cost
 * about a third of the PostgreSQL pass (236 s of 660 s of test time in the 2026-12-06 CI run), which
 * the suite's 20-minute budget cannot spare twice. The machine's two cores are busy throughout (load
 * about 5 at two files at a time), so running more files at once would not shorten either pass.
 *
 * The PostgreSQL pass needs COGNATE_TEST_PG_URL (`.ci/run` starts the local cluster and sets it).
 * Without it the pass is skipped with a note, except under CI, where a missing database is a broken
 * setup and fails the run, as the store tests do. Extra arguments are passed to `node --test`.
 *
 *   tsx tools/run-tests.ts                  # both passes
 *   COGNATE_TEST_PASSES=postgres tsx tools/run-tests.ts   # only the PostgreSQL pass
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders whose tests exercise the operations and endpoints over the wire: run on both engines. */
const WIRE_FOLDERS = ['test/api', 'test/oauth'];
/** Two cores: more files at once only queue for the CPU, and time-outs grow. */
const CONCURRENCY = '2';

function testFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

function runningInCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Where each pass's summary is written (tools/test-failures-reporter.mjs), to repeat it at the end. */
const summaryFolder = mkdtempSync(join(tmpdir(), 'cognate-test-summaries-'));
const summaries: string[] = [];

function run(label: string, files: string[], env: NodeJS.ProcessEnv): boolean {
  process.stderr.write(`==> ${label}: ${files.length} test files\n`);
  const summaryFile = join(summaryFolder, `${summaries.length}.txt`);
  const reporters = [
    ...['--test-reporter=tap', '--test-reporter-destination=stdout'],
    ...['--test-reporter=./tools/test-failures-reporter.mjs', `--test-reporter-destination=${summaryFile}`],
  ];
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, ...reporters, ...process.argv.slice(2), ...files],
    { stdio: 'inherit', env },
  );
  const summary = readFileSync(summaryFile, { encoding: 'utf8', flag: 'a+' }).trimEnd();
  const outcome = result.status === 0 ? 'passed' : `FAILED (exit ${String(result.status ?? result.signal)})`;
  const nothingFailed = result.status !== 0 && !/^FAIL /m.test(summary) ? '\n(no failed test was reported: the run itself failed)' : '';
  summaries.push(`==> ${label}: ${outcome}${nothingFailed}\n${summary}`);
  return result.status === 0;
}

const passes = new Set((process.env['COGNATE_TEST_PASSES'] ?? 'sqlite,postgres').split(','));
let ok = true;
if (passes.has('sqlite')) ok = run('all tests on SQLite', testFiles('test'), { ...process.env, COGNATE_TEST_ENGINE: 'sqlite' }) && ok;
if (passes.has('postgres')) {
  const url = process.env['COGNATE_TEST_PG_URL'];
  if (url === undefined || url === '') {
    const note = 'COGNATE_TEST_PG_URL is not set: the PostgreSQL pass of the API tests is skipped (.ci/run sets it)';
    if (runningInCi()) {
      process.stderr.write(`==> error: ${note}, and CI must run it\n`);
      ok = false;
    } else {
      process.stderr.write(`==> ${note}\n`);
    }
  } else {
    const files = WIRE_FOLDERS.flatMap(testFiles);
    ok = run('API and OAuth tests on PostgreSQL', files, { ...process.env, COGNATE_TEST_ENGINE: 'postgres' }) && ok;
  }
}
// Repeated last, so a log that keeps only its tail still says which tests failed.
process.stderr.write(`\n${summaries.join('\n')}\n`);
rmSync(summaryFolder, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
