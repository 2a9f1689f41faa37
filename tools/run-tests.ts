/**
 * The test command (`npm test` runs it after the type check): every test file on SQLite, then the
 * API and OAuth tests (test/api, test/oauth) and the hot paths' query counts again on PostgreSQL, each test server in a schema of its
 * own so files run in parallel.
 *
 * The page tests (test/pages) and the client library tests (test/clients) run on SQLite only: they
 * check rendering and browser flows, and what each client library sends and reads, and every store
 * call behind them is an operation the API and OAuth tests already run on PostgreSQL. The pages cost
 * about a third of the PostgreSQL pass (236 s of 660 s of test time in the 2026-12-06 CI run), which
 * the suite's 20-minute budget cannot spare twice. The machine's two cores are busy throughout (load
 * about 5 at two files at a time), so running more files at once would not shorten either pass.
 *
 * Each pass starts its files longest first, by the times in tools/test-durations.json, so it does
 * not end with one long file alone on one core while the other is idle (a file with no recorded
 * time is placed at the median). Each pass is one `node --test`: a runner per file would cost about
 * 0.25 s of CPU each, some 300 times. `COGNATE_TEST_RECORD_DURATIONS=1` writes this run's times into
 * that file (run it on CI's machine after adding or speeding up slow tests).
 *
 * The PostgreSQL pass needs COGNATE_TEST_PG_URL (`.ci/run` starts the local cluster and sets it).
 * Without it the pass is skipped with a note, except under CI, where a missing database is a broken
 * setup and fails the run, as the store tests do. Extra arguments are passed to `node --test`.
 *
 *   tsx tools/run-tests.ts                  # both passes
 *   COGNATE_TEST_PASSES=postgres tsx tools/run-tests.ts   # only the PostgreSQL pass
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Folders whose tests exercise the operations and endpoints over the wire: run on both engines. */
const WIRE_FOLDERS = ['test/api', 'test/oauth'];
/** Other files whose claims differ by engine: the queries each hot path runs (each engine caches its own way). */
const WIRE_FILES = ['test/scale/query-counts.test.ts'];
/** Two cores: more files at once only queue for the CPU, and time-outs grow. */
const CONCURRENCY = '2';
/** Seconds per file and engine, measured by a whole run on CI's machine: the order files start in. */
const DURATIONS_FILE = 'tools/test-durations.json';
/** The slowest files each pass's summary lists, to watch the suite's time budget. */
const SLOWEST_SHOWN = 10;

type Engine = 'sqlite' | 'postgres';
type Durations = Record<Engine, Record<string, number>>;

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

function readDurations(): Durations {
  if (!existsSync(DURATIONS_FILE)) return { sqlite: {}, postgres: {} };
  const read = JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as Partial<Durations>;
  return { sqlite: read.sqlite ?? {}, postgres: read.postgres ?? {} };
}

const durations = readDurations();

/** The files, longest first by their recorded times (unrecorded ones at the median); ties keep folder order. */
function longestFirst(files: string[], engine: Engine): string[] {
  const known = durations[engine];
  const times = Object.values(known).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const estimate = (file: string): number => known[file] ?? median;
  return files
    .map((file, index) => ({ file, index }))
    .sort((a, b) => estimate(b.file) - estimate(a.file) || a.index - b.index)
    .map(({ file }) => file);
}

/**
 * The failures reporter's summary as the end of the run shows it (failures, then the slowest
 * files); every file's time, which it lists, goes to `times`.
 */
function readSummary(text: string, times: Record<string, number>): string {
  const lines = text.trimEnd().split('\n');
  const listed = lines.findIndex((line) => line.startsWith('slowest test files'));
  if (listed < 0) return lines.join('\n');
  for (const line of lines.slice(listed + 1)) {
    const match = /^ +([\d.]+) {2}(\S+)$/.exec(line);
    if (match) times[relative(process.cwd(), match[2]!)] = Number(match[1]);
  }
  return lines.slice(0, listed + 1 + SLOWEST_SHOWN).join('\n');
}

/** Writes this run's times over the recorded ones, dropping files that no longer exist. */
function recordDurations(): void {
  const sorted = (times: Record<string, number>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(times)
        .filter(([file]) => existsSync(file))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  writeFileSync(DURATIONS_FILE, `${JSON.stringify({ sqlite: sorted(durations.sqlite), postgres: sorted(durations.postgres) }, null, 2)}\n`);
  process.stderr.write(`==> wrote the file times to ${DURATIONS_FILE}\n`);
}

/** Where each pass's summary is written (tools/test-failures-reporter.mjs), to repeat it at the end. */
const summaryFolder = mkdtempSync(join(tmpdir(), 'cognate-test-summaries-'));
const summaries: string[] = [];

function run(label: string, engine: Engine, files: string[]): boolean {
  process.stderr.write(`==> ${label}: ${files.length} test files\n`);
  const summaryFile = join(summaryFolder, `${summaries.length}.txt`);
  const reporters = [
    ...['--test-reporter=tap', '--test-reporter-destination=stdout'],
    ...['--test-reporter=./tools/test-failures-reporter.mjs', `--test-reporter-destination=${summaryFile}`],
  ];
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${CONCURRENCY}`,
      ...reporters,
      ...process.argv.slice(2),
      ...longestFirst(files, engine),
    ],
    { stdio: 'inherit', env: { ...process.env, COGNATE_TEST_ENGINE: engine } },
  );
  const summary = readSummary(readFileSync(summaryFile, { encoding: 'utf8', flag: 'a+' }), durations[engine]);
  const outcome = result.status === 0 ? 'passed' : `FAILED (exit ${String(result.status ?? result.signal)})`;
  const nothingFailed = result.status !== 0 && !/^FAIL /m.test(summary) ? '\n(no failed test was reported: the run itself failed)' : '';
  summaries.push(`==> ${label}: ${outcome}${nothingFailed}\n${summary}`);
  return result.status === 0;
}

const passes = new Set((process.env['COGNATE_TEST_PASSES'] ?? 'sqlite,postgres').split(','));
let ok = true;
if (passes.has('sqlite')) ok = run('all tests on SQLite', 'sqlite', testFiles('test')) && ok;
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
    const files = [...WIRE_FOLDERS.flatMap(testFiles), ...WIRE_FILES];
    ok = run('API and OAuth tests on PostgreSQL', 'postgres', files) && ok;
  }
}
if (process.env['COGNATE_TEST_RECORD_DURATIONS'] === '1') recordDurations();
// Repeated last, so a log that keeps only its tail still says which tests failed.
process.stderr.write(`\n${summaries.join('\n')}\n`);
rmSync(summaryFolder, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
