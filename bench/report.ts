import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Ceiling } from './ceilings.js';
import type { Measurement } from './load.js';
import type { Machine } from './machine.js';
import { MODES, type Mode } from './modes.js';
import type { CeilingId, PathId } from './paths.js';
import { ROOT, type TargetKind } from './targets.js';

/**
 * The results of a run: a JSON file under bench/results/, the tables printed at the end, and
 * docs/benchmarks.md regenerated from them. Goals are the ones set in the benchmarks issue.
 */

export interface TargetSummary {
  id: string;
  kind: TargetKind;
  label: string;
  command?: string;
  startToReadyMs?: number;
  idleRssBytes?: number;
  /** Set when the target could not be started or seeded; all its paths are then n/a. */
  error?: string;
}

export interface Run extends Measurement {
  /** Cognate's ops/s over the path's crypto ceiling. */
  vsCeiling?: number;
  /** ops/s over cognito-local's at the same concurrency. */
  vsCognitoLocal?: number;
}

export interface PathResult {
  path: PathId;
  title: string;
  target: string;
  ceiling?: CeilingId;
  /** Absent when measured; otherwise why not. */
  unavailable?: { reason: string; notImplemented: boolean };
  runs: Run[];
}

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  /** null when the path could not be measured. */
  met: boolean | null;
}

export interface Report {
  mode: Mode;
  startedAt: string;
  wallSeconds: number;
  machine: Machine;
  settings: { concurrencies: number[]; durationSec: number; warmupSec: number; users: number; ceilingSec: number; runner: string };
  ceilings: Ceiling[];
  targets: TargetSummary[];
  paths: PathResult[];
  goals: Goal[];
}

const MB = 1024 * 1024;

/** Fills in the ratios against the ceiling and against cognito-local at the same concurrency. */
export function addRatios(paths: PathResult[], ceilings: Ceiling[], targets: TargetSummary[]): void {
  const peer = targets.find((t) => t.kind === 'cognito-local')?.id;
  for (const result of paths) {
    const kind = targets.find((t) => t.id === result.target)?.kind;
    if (kind !== 'cognate') continue;
    const ceiling = ceilings.find((c) => c.id === result.ceiling);
    const peerRuns = paths.find((p) => p.path === result.path && p.target === peer)?.runs ?? [];
    for (const run of result.runs) {
      if (ceiling) run.vsCeiling = run.opsPerSec / ceiling.perSec;
      const peerRun = peerRuns.find((r) => r.concurrency === run.concurrency);
      if (peerRun && peerRun.opsPerSec > 0) run.vsCognitoLocal = run.opsPerSec / peerRun.opsPerSec;
    }
  }
}

function best(result: PathResult | undefined): Run | undefined {
  if (!result || result.runs.length === 0) return undefined;
  return result.runs.reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
}

const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`;

/** The issue's goals, checked on each Cognate target at its best concurrency. */
export function evaluateGoals(paths: PathResult[], targets: TargetSummary[]): Goal[] {
  const goals: Goal[] = [];
  for (const target of targets.filter((t) => t.kind === 'cognate')) {
    const of = (path: PathId): PathResult | undefined => paths.find((p) => p.path === path && p.target === target.id);
    const tag = (text: string): string => `${text} (${target.label})`;
    const ceilingGoal = (path: PathId, share: number, text: string): void => {
      const run = best(of(path));
      goals.push({
        goal: tag(text),
        target: `≥ ${pct(share)} of ceiling`,
        measured: run?.vsCeiling !== undefined ? `${pct(run.vsCeiling)} (${fmtRate(run.opsPerSec)}/s at c=${run.concurrency})` : 'n/a',
        met: run?.vsCeiling !== undefined ? run.vsCeiling >= share : null,
      });
    };
    const rateGoal = (path: PathId, rate: number, text: string): void => {
      const run = best(of(path));
      goals.push({
        goal: tag(text),
        target: `≥ ${fmtRate(rate)}/s`,
        measured: run ? `${fmtRate(run.opsPerSec)}/s at c=${run.concurrency}` : 'n/a',
        met: run ? run.opsPerSec >= rate : null,
      });
    };
    ceilingGoal('password', 0.85, 'Password sign-in vs argon2id + signing ceiling');
    ceilingGoal('refresh', 0.75, 'Refresh vs signing ceiling');
    ceilingGoal('srp', 0.75, 'SRP sign-in vs its ceiling');
    rateGoal('get-user', 5000, 'GetUser');
    rateGoal('admin-get-user', 5000, 'AdminGetUser');

    const ratios = paths
      .filter((p) => p.target === target.id)
      .flatMap((p) => {
        const run = best(p);
        const peerBest = best(paths.find((q) => q.path === p.path && targets.find((t) => t.id === q.target)?.kind === 'cognito-local'));
        return run && peerBest && peerBest.opsPerSec > 0 ? [{ path: p.path, ratio: run.opsPerSec / peerBest.opsPerSec }] : [];
      });
    const worst = ratios.reduce<{ path: PathId; ratio: number } | undefined>((a, b) => (a && a.ratio <= b.ratio ? a : b), undefined);
    goals.push({
      goal: tag('Every path vs cognito-local, where it has the path'),
      target: '≥ 5x',
      measured: worst ? `lowest ${worst.ratio.toFixed(1)}x (${worst.path}) over ${ratios.length} paths` : 'n/a',
      met: worst ? worst.ratio >= 5 : null,
    });
    // tsx compiles TypeScript on the fly, which costs start time and memory the build does not.
    const via = target.command?.includes('tsx') ? ' via tsx (--dist: the build)' : '';
    goals.push({
      goal: tag('Idle RSS after start'),
      target: '≤ 150 MB',
      measured: target.idleRssBytes !== undefined ? `${(target.idleRssBytes / MB).toFixed(0)} MB${via}` : 'n/a',
      met: target.idleRssBytes !== undefined ? target.idleRssBytes <= 150 * MB : null,
    });
    goals.push({
      goal: tag('Start to ready'),
      target: '≤ 1 s',
      measured: target.startToReadyMs !== undefined ? `${(target.startToReadyMs / 1000).toFixed(2)} s${via}` : 'n/a',
      met: target.startToReadyMs !== undefined ? target.startToReadyMs <= 1000 : null,
    });
  }
  return goals;
}

function fmtRate(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function table(header: string[], rows: string[][]): string {
  const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [
    line(header),
    line(header.map((h) => (/^(ops|p50|p99|errors|CPU|peak|vs|Ceiling|Start|Idle)/.test(h) ? '---:' : '---'))),
    ...rows.map(line),
  ].join('\n');
}

function targetLabel(report: Report, id: string): string {
  return report.targets.find((t) => t.id === id)?.label ?? id;
}

export function resultsTable(report: Report): string {
  const rows: string[][] = [];
  for (const result of report.paths) {
    const target = targetLabel(report, result.target);
    if (result.unavailable) {
      const targetFailed = report.targets.find((t) => t.id === result.target)?.error !== undefined;
      const na = result.unavailable.notImplemented
        ? 'n/a (not implemented)'
        : targetFailed
          ? 'n/a (target failed, see below)'
          : 'n/a (failed, see below)';
      rows.push([result.title, target, '—', na, '—', '—', '—', '—', '—', '—', '—']);
      continue;
    }
    for (const run of result.runs) {
      rows.push([
        result.title,
        target,
        String(run.concurrency),
        fmtRate(run.opsPerSec),
        fmtMs(run.p50Ms),
        fmtMs(run.p99Ms),
        String(run.errors),
        `${run.cpuPercent.toFixed(0)}%`,
        `${(run.peakRssBytes / MB).toFixed(0)} MB${run.peakSinceStart ? '*' : ''}`,
        run.vsCeiling !== undefined ? pct(run.vsCeiling) : '—',
        run.vsCognitoLocal !== undefined ? `${run.vsCognitoLocal.toFixed(1)}x` : '—',
      ]);
    }
  }
  return table(
    ['Path', 'Target', 'Conc.', 'ops/s', 'p50 ms', 'p99 ms', 'errors', 'CPU (1 core = 100%)', 'peak RSS', 'vs ceiling', 'vs cognito-local'],
    rows,
  );
}

export function ceilingsTable(report: Report): string {
  return table(
    ['Path', 'Crypto work per operation', 'Ceiling ops/s', 'Samples (before, after the load)'],
    report.ceilings.map((c) => [c.id, c.work, fmtRate(c.perSec), c.samples.map(fmtRate).join(', ')]),
  );
}

export function targetsTable(report: Report): string {
  return table(
    ['Target', 'Command', 'Start to ready', 'Idle RSS', 'Note'],
    report.targets.map((t) => [
      t.label,
      t.command ? `\`${t.command}\`` : '—',
      t.startToReadyMs !== undefined ? `${t.startToReadyMs.toFixed(0)} ms` : '—',
      t.idleRssBytes !== undefined ? `${(t.idleRssBytes / MB).toFixed(0)} MB` : '—',
      t.error ?? '',
    ]),
  );
}

export function goalsTable(report: Report): string {
  return table(
    ['Goal', 'Target', 'Measured', 'Met'],
    report.goals.map((g) => [g.goal, g.target, g.measured, g.met === null ? 'n/a' : g.met ? 'yes' : 'no']),
  );
}

function problems(report: Report): string {
  const lines = report.targets.flatMap((t) => (t.error ? [`- ${t.label}, every path: ${t.error}`] : []));
  for (const result of report.paths) {
    const target = targetLabel(report, result.target);
    if (report.targets.find((t) => t.id === result.target)?.error !== undefined) continue;
    if (result.unavailable) lines.push(`- ${result.title} on ${target}: ${result.unavailable.reason}`);
    for (const run of result.runs) {
      if (run.errors > 0)
        lines.push(
          `- ${result.title} on ${target}, c=${run.concurrency}: ${run.errors} failed calls, first: ${run.firstError ?? 'connection error'}`,
        );
    }
  }
  return lines.length ? lines.map((l) => l.replace(/\s+/g, ' ')).join('\n') : '- none';
}

function machineLine(m: Machine): string {
  return `${m.cpus} vCPU (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Linux ${m.kernel}, Node.js ${m.node}, OpenSSL ${m.openssl}; load average at start ${m.loadAverage}`;
}

/** Everything a reader needs at the end of a run, in markdown. */
export function summary(report: Report): string {
  const s = report.settings;
  return [
    `Machine: ${machineLine(report.machine)}`,
    '',
    `Mode: ${report.mode}: concurrency ${s.concurrencies.join(', ')}; ${s.durationSec} s per path and concurrency` +
      `${s.warmupSec ? ` after ${s.warmupSec} s warm-up` : ''}; ${s.users} seeded users; ceilings ${s.ceilingSec} s each; Cognate run by ${s.runner}; ` +
      `whole run ${report.wallSeconds.toFixed(0)} s`,
    '',
    resultsTable(report),
    '',
    ...(report.paths.some((p) => p.runs.some((r) => r.peakSinceStart))
      ? ['`*` peak since the server started (the kernel refused to reset the peak).', '']
      : []),
    'Not measured, or with failed calls:',
    '',
    problems(report),
    '',
    ceilingsTable(report),
    '',
    targetsTable(report),
    '',
    goalsTable(report),
  ].join('\n');
}

export function writeResults(report: Report): string {
  const folder = join(ROOT, 'bench/results');
  mkdirSync(folder, { recursive: true });
  const stamp = report.startedAt.replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const file = join(folder, `${stamp}-${report.mode}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return relative(ROOT, file);
}

/** Regenerates docs/benchmarks.md from a run. */
export function writeDocs(report: Report, resultsFile: string): void {
  const page = `# Benchmarks

<!-- Generated by \`npm run bench\` (bench/report.ts) from ${resultsFile}. Edit the generator, not this page. -->

Cognate measures its main paths under load, the crypto ceiling of the same machine, and a peer
(cognito-local from npm) side by side, in one run. Compare the ratios measured in one run; absolute
numbers move with the machine and with whatever else it is doing.

    npm run bench              # full: concurrency ${MODES.full.concurrencies.join(', ')}, ${MODES.full.durationSec} s per path and level, ${MODES.full.users} users
    npm run bench -- --short   # about 2 minutes: concurrency ${MODES.short.concurrencies.join(', ')}, ${MODES.short.durationSec} s per path, ${MODES.short.users} users
    COGNATE_BENCH_PG_URL=postgres://user:pass@host/db npm run bench   # adds Cognate on PostgreSQL

Options: \`--paths password,refresh,...\`, \`--targets cognate,cognito-local\`, \`--dist\` (run the
compiled \`dist/cli.js\` instead of \`src/cli.ts\` through tsx; \`npm run build\` first), \`--users N\`,
\`--duration S\`, \`--concurrency 1,16\`. Each run writes \`bench/results/<date>-<mode>.json\`.

## How it measures

- Each server runs as a child process on a free loopback port with its own temp data folder:
  Cognate as \`node --import tsx src/cli.ts start\` on SQLite (and PostgreSQL when
  \`COGNATE_BENCH_PG_URL\` is set), cognito-local as \`cognito-local\` in a temp working folder.
- Both are seeded through the AWS SDK: a pool, an app client (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH,
  USER_SRP_AUTH), N users with permanent passwords (AdminCreateUser + AdminSetUserPassword), one
  signed-in session, and for client_credentials a resource server and a confidential client.
- autocannon drives each path over keep-alive connections, one request in flight per connection;
  "Conc." is the number of connections. Sign-ins rotate over the seeded users; SignUp and
  AdminCreateUser use a new username per request; admin calls are SigV4-signed per request. SRP is
  two calls (InitiateAuth USER_SRP_AUTH, RespondToAuthChallenge PASSWORD_VERIFIER) and counts as one
  operation, its latency covering both.
- ops/s counts operations whose calls all answered 2xx; p50/p99 are their latencies. Failed calls
  are counted in "errors" and listed under the table.
- CPU is the server process's user + system time over the run (/proc/<pid>/stat) as a share of one
  core: 200% is both cores of a 2-core machine. PostgreSQL's own processes are not included. Peak
  RSS is VmHWM, reset before each run (clear_refs).
- The load generator runs on the same machine and takes CPU the server then cannot use; its share
  is in the JSON as \`clientCpuPercent\`.
- Start to ready runs from spawn until \`/health/ready\` (cognito-local: \`/health\`) first answers 200,
  on a fresh data folder (migrations included); idle RSS is read 300 ms later, before any request.
  Through tsx both include compiling TypeScript on the fly; \`--dist\` measures the build.
- The crypto ceiling is the path's cryptography alone, with Cognate's primitives and parameters, on
  every core (one worker process per core): what the machine allows before HTTP, JSON and the
  database. It is measured before and after the load and the better sample is kept, since other
  work on the machine only lowers it. "vs ceiling" is Cognate's ops/s over it.
- A path whose operation is missing on a target is reported as n/a with the server's answer.

## Latest run (${report.mode}, ${report.startedAt})

${summary(report)}

## Goals

From the benchmarks issue: password sign-in ≥ 85% of the argon2id + signing ceiling; refresh ≥ 75%
of the signing ceiling; SRP ≥ 75% of its ceiling; GetUser and AdminGetUser ≥ 5,000/s; every path
≥ 5x cognito-local where it has the path; idle RSS ≤ 150 MB; start to ready ≤ 1 s. The goals table
above checks each at the path's best concurrency.
`;
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), page);
}
