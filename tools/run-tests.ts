/**
 * The test command (`npm test` runs it after the type check): every test file on SQLite, and the
 * API and OAuth tests (test/api, test/oauth) again on PostgreSQL, each test server in a schema of its
 * own so files run in parallel.
 *
 * The page tests (test/pages) and the client library tests (test/clients) run on SQLite only: they
 * check rendering and browser flows, and what each client library sends and reads, and every store
 * call behind them is an operation the API and OAuth tests already run on PostgreSQL. The pages cost
 * about a third of the PostgreSQL pass (236 s of 660 s of test time in the 2026-12-06 CI run), which
 * the suite's 20-minute budget cannot spare twice. The machine's two cores are busy throughout (load
 * about 5 at two files at a time), so running more files at once would not shorten the run.
 *
 * Both passes share one queue of (file, engine) runs, two at a time, the longest first by the times
 * in tools/test-durations.json: a run then does not end with one long file alone on one core, nor
 * wait for the SQLite pass's last file before the PostgreSQL pass starts. Each file runs in a
 * `node --test` of its own; its TAP output is printed whole when it ends, so two files' lines do not
 * mix. A file with no recorded time is placed at the median. `COGNATE_TEST_RECORD_DURATIONS=1`
 * writes this run's times into that file (run it on CI's machine after adding or speeding up tests).
 *
 * The PostgreSQL pass needs COGNATE_TEST_PG_URL (`.ci/run` starts the local cluster and sets it).
 * Without it the pass is skipped with a note, except under CI, where a missing database is a broken
 * setup and fails the run, as the store tests do. Extra arguments are passed to `node --test`.
 *
 *   tsx tools/run-tests.ts                  # both passes
 *   COGNATE_TEST_PASSES=postgres tsx tools/run-tests.ts   # only the PostgreSQL pass
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders whose tests exercise the operations and endpoints over the wire: run on both engines. */
const WIRE_FOLDERS = ['test/api', 'test/oauth'];
/** Two cores: more files at once only queue for the CPU, and time-outs grow. */
const CONCURRENCY = 2;
/** Seconds per file and engine, measured by a whole run on CI's machine: the order files start in. */
const DURATIONS_FILE = 'tools/test-durations.json';
/** The slowest files the end of the run lists, to watch the suite's time budget. */
const SLOWEST_SHOWN = 10;

type Engine = 'sqlite' | 'postgres';
type Durations = Record<Engine, Record<string, number>>;

interface Pass {
  engine: Engine;
  label: string;
  files: string[];
}

interface Job {
  pass: Pass;
  file: string;
  estimate: number;
}

interface Finished {
  job: Job;
  ok: boolean;
  seconds: number;
  /** The failures reporter's FAIL lines, or a line saying the run itself failed. */
  failures: string[];
}

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}

/** Every file of every pass, longest first; ties keep the passes' and folders' order. */
function queue(passes: Pass[], durations: Durations): Job[] {
  const jobs = passes.flatMap((pass) => {
    const known = durations[pass.engine];
    const unknown = median(Object.values(known));
    return pass.files.map((file) => ({ pass, file, estimate: known[file] ?? unknown }));
  });
  return jobs
    .map((job, index) => ({ job, index }))
    .sort((a, b) => b.job.estimate - a.job.estimate || a.index - b.index)
    .map(({ job }) => job);
}

/** Where each file's TAP output and failure lines are written until it ends. */
const scratch = mkdtempSync(join(tmpdir(), 'cognate-test-runs-'));
let runs = 0;

/** Runs one file in a `node --test` of its own and prints its TAP output once it has ended. */
function runFile(job: Job): Promise<Finished> {
  const id = ++runs;
  const tap = join(scratch, `${id}.tap`);
  const summary = join(scratch, `${id}.txt`);
  const reporters = [
    ...['--test-reporter=tap', `--test-reporter-destination=${tap}`],
    ...['--test-reporter=./tools/test-failures-reporter.mjs', `--test-reporter-destination=${summary}`],
  ];
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...reporters, ...process.argv.slice(2), job.file], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, COGNATE_TEST_ENGINE: job.pass.engine },
  });
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      const ok = code === 0;
      const output = readFileSync(tap, { encoding: 'utf8', flag: 'a+' });
      process.stdout.write(`# ${job.file} on ${job.pass.engine}: ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s\n${output}`);
      // The reporter also lists its one file's time; the runner lists every file's at the end.
      const failures = readFileSync(summary, { encoding: 'utf8', flag: 'a+' })
        .split('\n')
        .filter((line) => line.startsWith('FAIL '));
      if (!ok && failures.length === 0) failures.push(`FAIL ${job.file}: the run itself failed (exit ${String(code ?? signal)})`);
      resolve({ job, ok, seconds, failures });
    });
  });
}

/** Runs the queue `CONCURRENCY` files at a time, each next file as soon as a core is free. */
async function runQueue(jobs: Job[]): Promise<Finished[]> {
  const finished: Finished[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) finished.push(await runFile(jobs[next++]!));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return finished;
}

/** The end of the run for one pass: its outcome, its failed tests, its slowest files. */
function passSummary(pass: Pass, finished: Finished[]): string {
  const own = finished.filter((f) => f.job.pass === pass);
  const failures = own.flatMap((f) => f.failures);
  const slowest = [...own].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST_SHOWN);
  const lines = slowest.map((f) => `  ${f.seconds.toFixed(1).padStart(6)}  ${f.job.file}`);
  const outcome = own.every((f) => f.ok) ? 'passed' : `FAILED (${own.filter((f) => !f.ok).length} of ${own.length} files)`;
  return [`==> ${pass.label}: ${outcome}`, ...failures, 'slowest test files (seconds, each in a node --test of its own):', ...lines].join(
    '\n',
  );
}

/** Writes this run's times over the recorded ones, dropping files that no longer exist. */
function recordDurations(durations: Durations, finished: Finished[]): void {
  for (const { job, seconds } of finished) durations[job.pass.engine][job.file] = Math.round(seconds * 10) / 10;
  const sorted = (times: Record<string, number>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(times)
        .filter(([file]) => existsSync(file))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  writeFileSync(DURATIONS_FILE, `${JSON.stringify({ sqlite: sorted(durations.sqlite), postgres: sorted(durations.postgres) }, null, 2)}\n`);
  process.stderr.write(`==> wrote ${finished.length} file times to ${DURATIONS_FILE}\n`);
}

const wanted = new Set((process.env['COGNATE_TEST_PASSES'] ?? 'sqlite,postgres').split(','));
const passes: Pass[] = [];
let ok = true;
if (wanted.has('sqlite')) passes.push({ engine: 'sqlite', label: 'all tests on SQLite', files: testFiles('test') });
if (wanted.has('postgres')) {
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
    passes.push({ engine: 'postgres', label: 'API and OAuth tests on PostgreSQL', files: WIRE_FOLDERS.flatMap(testFiles) });
  }
}
for (const pass of passes) process.stderr.write(`==> ${pass.label}: ${pass.files.length} test files\n`);
const durations = readDurations();
const started = Date.now();
const finished = await runQueue(queue(passes, durations));
ok = finished.every((f) => f.ok) && ok;
if (process.env['COGNATE_TEST_RECORD_DURATIONS'] === '1') recordDurations(durations, finished);
// Repeated last, so a log that keeps only its tail still says which tests failed.
const total = `==> ${finished.length} test files in ${((Date.now() - started) / 1000).toFixed(0)} s, ${CONCURRENCY} at a time`;
process.stderr.write(`\n${passes.map((pass) => passSummary(pass, finished)).join('\n')}\n${total}\n`);
rmSync(scratch, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
