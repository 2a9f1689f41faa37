/**
 * `npm run bench [-- --short]`: Cognate's main paths under load, side by side with cognito-local
 * and with the crypto ceiling of this machine, measured in one run. See docs/benchmarks.md.
 */
import { parseArgs } from 'node:util';
import { measureCeilings, mergeCeilings, type Ceiling } from './ceilings.js';
import { totpUsersNeeded } from './totp-rotation.js';
import { measure, probe } from './load.js';
import { describeMachine } from './machine.js';
import { MODES, type Mode } from './modes.js';
import { GATEWAY_PATHS, PATHS, SYNC_PATHS, type CeilingId, type PathDef, type PathId, type Prepared } from './paths.js';
import {
  addRatios,
  evaluateGoals,
  renderDocsFromLatest,
  summary,
  writeDocs,
  writeResults,
  type PathResult,
  type Report,
  type Run,
  type TargetSummary,
} from './report.js';
import { createBenchSchema } from './postgres.js';
import { seed, type Seed, type SeedNeeds } from './seed.js';
import { StartError, cognateTargetName, startCognate, startCognitoLocal, startUpstream, type Target } from './targets.js';
import { checkSignerAgainstSmithy } from './wire.js';

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    paths: { type: 'string' },
    targets: { type: 'string' },
    dist: { type: 'boolean', default: false },
    users: { type: 'string' },
    duration: { type: 'string' },
    concurrency: { type: 'string' },
    workers: { type: 'string' },
    // Print the tables only: no results file, docs/benchmarks.md untouched (for trying things out).
    scratch: { type: 'boolean', default: false },
    // Names a side run (bench/results/<date>-<mode>-<tag>.json); the docs keep the newest untagged run.
    tag: { type: 'string' },
    nodes: { type: 'string' },
  },
});

const mode: Mode = args.short ? 'short' : 'full';
const settings = {
  ...MODES[mode],
  concurrencies: args.concurrency ? args.concurrency.split(',').map(Number) : [...MODES[mode].concurrencies],
  durationSec: args.duration ? Number(args.duration) : MODES[mode].durationSec,
  users: args.users ? Number(args.users) : MODES[mode].users,
  runner: args.dist ? 'node dist/cli.js' : 'node --import tsx src/cli.ts',
  workers: [...new Set(args.workers ? args.workers.split(',').map(Number) : MODES[mode].workers)],
  nodes: [...new Set(args.nodes ? args.nodes.split(',').map(Number) : MODES[mode].nodes)],
};
for (const n of [...settings.workers, ...settings.nodes]) {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--workers and --nodes take counts from 1 to 64, not ${n}`);
}
/** A comma-separated option, every item checked against what exists. */
function listOption(value: string | undefined, known: readonly string[], name: string): string[] {
  if (value === undefined) return [...known];
  const items = value.split(',').filter(Boolean);
  const unknown = items.filter((item) => !known.includes(item));
  if (unknown.length) throw new Error(`--${name}: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return items;
}

const pathIds = listOption(
  args.paths,
  PATHS.map((p) => p.id),
  'paths',
);
const selectedPaths: PathDef[] = PATHS.filter((p) => pathIds.includes(p.id));
const selectedAny = (ids: readonly PathId[]): boolean => selectedPaths.some((p) => ids.includes(p.id));

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

// The AWS SDK's notice that its Node.js 20 support will end is not about the bench; keep others.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!/AWS SDK/.test(warning.message)) log(`(${warning.name}: ${warning.message.split('\n')[0]})`);
});

interface TargetSpec {
  id: string;
  kind: 'cognate' | 'cognito-local';
  label: string;
  start(): Promise<Target>;
}

/**
 * Cognate on SQLite with each `--workers` count; on PostgreSQL (when COGNATE_BENCH_PG_URL is set)
 * as one node and as each `--nodes` count of separate nodes over one schema; then cognito-local.
 * `--targets` picks by kind (`cognate`, `cognito-local`) or by id (`cognate-sqlite-w2`, ...).
 */
function targetSpecs(): TargetSpec[] {
  const runner = args.dist ? 'dist' : 'tsx';
  const specs: TargetSpec[] = settings.workers.map((workers) => ({
    ...cognateTargetName('sqlite', workers),
    kind: 'cognate',
    start: () => startCognate({ database: { kind: 'sqlite' }, runner, workers }),
  }));
  const pg = process.env['COGNATE_BENCH_PG_URL'];
  if (pg) {
    for (const nodes of settings.nodes) {
      specs.push({
        ...cognateTargetName('postgres', 1, nodes),
        kind: 'cognate',
        start: async () => {
          const schema = await createBenchSchema(pg);
          try {
            const target = await startCognate({ database: { kind: 'postgres', url: schema.url }, runner, nodes });
            return { ...target, stop: () => target.stop().finally(() => schema.drop()) };
          } catch (error) {
            await schema.drop();
            throw error;
          }
        },
      });
    }
  }
  specs.push({ id: 'cognito-local', kind: 'cognito-local', label: 'cognito-local', start: startCognitoLocal });
  const chosen = listOption(args.targets, [...new Set(['cognate', 'cognito-local', ...specs.map((s) => s.id)])], 'targets');
  return specs.filter((s) => chosen.includes(s.kind) || chosen.includes(s.id));
}

function failed(path: PathDef, targetId: string, reason: string, notImplemented = false): PathResult {
  return {
    path: path.id,
    title: path.title,
    target: targetId,
    ...(path.ceiling ? { ceiling: path.ceiling } : {}),
    unavailable: { reason, notImplemented },
    runs: [],
  };
}

/**
 * Probes a path once on every node, then loads it at each concurrency (the connections dealt out
 * over the nodes); a path that fails its probe is n/a with the server's answer.
 */
async function benchPath(path: PathDef, target: Target, data: Seed): Promise<PathResult> {
  const prepared: Prepared[] = [];
  for (const node of target.nodes) {
    const built = path.prepare({ ...target, url: node.url }, data);
    const ready = built.ok
      ? await probe(built.value).catch((error: Error) => ({ ok: false as const, reason: error.message, notImplemented: false }))
      : built;
    if (!ready.ok) {
      log(`  ${path.id.padEnd(18)} n/a: ${ready.reason}`);
      return failed(path, target.id, ready.reason, ready.notImplemented);
    }
    prepared.push(ready.value);
  }
  const beside = path.beside?.(target, data);
  if (beside && !beside.ok) {
    log(`  ${path.id.padEnd(18)} n/a: ${beside.reason}`);
    return failed(path, target.id, beside.reason, beside.notImplemented);
  }
  const result: PathResult = {
    path: path.id,
    title: path.title,
    target: target.id,
    ...(path.ceiling ? { ceiling: path.ceiling } : {}),
    runs: [],
  };
  for (const concurrency of settings.concurrencies) {
    const stopBeside = beside?.value.start();
    const run: Run = await measure(
      target.nodes.map((n) => n.pid),
      prepared,
      concurrency,
      settings.durationSec,
      settings.warmupSec,
    );
    const besideReport = await stopBeside?.();
    if (besideReport) {
      run.beside = { answered: besideReport.answered, ...(besideReport.unexpected ? { unexpected: besideReport.unexpected } : {}) };
      log(
        `  ${''.padEnd(18)} beside: ${beside!.value.description}; ${besideReport.answered} answered${besideReport.unexpected ? `, unexpected: ${besideReport.unexpected}` : ''}`,
      );
    }
    result.runs.push(run);
    log(
      `  ${path.id.padEnd(18)} c=${String(concurrency).padEnd(3)} ${run.opsPerSec.toFixed(1).padStart(8)} ops/s  ` +
        `p50 ${run.p50Ms.toFixed(2)} ms  p99 ${run.p99Ms.toFixed(2)} ms  CPU ${run.cpuPercent.toFixed(0)}% ` +
        `(main thread ${run.mainThreadCpuPercent?.toFixed(0) ?? '?'}%) ` +
        `(client ${run.clientCpuPercent.toFixed(0)}%)  errors ${run.errors}${run.firstError ? ` (${run.firstError})` : ''}`,
    );
  }
  return result;
}

/**
 * TOTP users the password-mfa path needs (0 when it is not selected): enough that no sign-in waits
 * for a fresh code at the password ceiling measured before the load, over the path's runs.
 */
function mfaUsersFor(ceilings: readonly Ceiling[]): number {
  if (!selectedPaths.some((p) => p.id === 'password-mfa')) return 0;
  const rate = ceilings.find((c) => c.id === 'password')?.perSec ?? 0;
  const runSeconds = settings.concurrencies.length * (settings.durationSec + settings.warmupSec) + 2;
  return totpUsersNeeded(Math.max(rate, 1), runSeconds);
}

async function benchTarget(spec: TargetSpec, needs: SeedNeeds): Promise<{ summary: TargetSummary; paths: PathResult[] }> {
  log(`\n${spec.label}: starting`);
  let target: Target;
  try {
    target = await spec.start();
  } catch (error) {
    const reason = `did not start: ${(error as Error).message}`;
    log(`  ${reason}`);
    if (error instanceof StartError) log(error.logTail.replace(/^/gm, '    | '));
    return {
      summary: { id: spec.id, kind: spec.kind, label: spec.label, error: reason },
      paths: selectedPaths.map((p) => failed(p, spec.id, reason)),
    };
  }
  const summary: TargetSummary = {
    id: target.id,
    kind: target.kind,
    label: target.label,
    command: target.command,
    startToReadyMs: target.startToReadyMs,
    idleRssBytes: target.idleRssBytes,
    processes: target.processes,
  };
  log(
    `  ready in ${target.startToReadyMs.toFixed(0)} ms, idle RSS ${(target.idleRssBytes / 2 ** 20).toFixed(0)} MB ` +
      `(${target.processes} process${target.processes > 1 ? 'es' : ''}, pid ${target.pid}, log ${target.logFile})`,
  );
  try {
    let data: Seed;
    const seedStart = performance.now();
    try {
      data = await seed(target, settings.users, needs);
    } catch (error) {
      const reason = `seeding failed: ${(error as Error).name}: ${(error as Error).message}`;
      log(`  ${reason}`);
      return { summary: { ...summary, error: reason }, paths: selectedPaths.map((p) => failed(p, target.id, reason)) };
    }
    log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s` + (data.users.ok ? '' : ` (users: ${data.users.reason})`));

    const results: PathResult[] = [];
    for (const path of selectedPaths) results.push(await benchPath(path, target, data));
    return { summary, paths: results };
  } finally {
    await target.stop();
  }
}

/** Cognate as configured by default (SQLite, one process): start to ready and idle memory only, no load. */
async function startupOnly(): Promise<TargetSummary> {
  const { id, label } = cognateTargetName('sqlite');
  log(`\n${label}: start-up and idle memory only`);
  try {
    const target = await startCognate({ database: { kind: 'sqlite' }, runner: args.dist ? 'dist' : 'tsx' });
    await target.stop();
    log(`  ready in ${target.startToReadyMs.toFixed(0)} ms, idle RSS ${(target.idleRssBytes / 2 ** 20).toFixed(0)} MB`);
    return {
      id,
      kind: 'cognate',
      label,
      command: target.command,
      startToReadyMs: target.startToReadyMs,
      idleRssBytes: target.idleRssBytes,
      processes: target.processes,
      startupOnly: true,
    };
  } catch (error) {
    return { id, kind: 'cognate', label, startupOnly: true, error: `did not start: ${(error as Error).message}` };
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = describeMachine();
  log(`cognate bench (${mode}) on ${machine.cpus} vCPU ${machine.cpuModel}, Node.js ${machine.node}, load average ${machine.loadAverage}`);
  await checkSignerAgainstSmithy();

  const ceilingIds = [...new Set(selectedPaths.flatMap((p) => (p.ceiling ? [p.ceiling] : [])))] as CeilingId[];
  log('crypto ceilings (before the load):');
  const before = await measureCeilings(ceilingIds, settings.ceilingSec, log);

  const targets: TargetSummary[] = [];
  const paths: PathResult[] = [];
  const specs = targetSpecs();
  // The memory and start-up goals are set for the default, one process: when no target is that,
  // start it once just to read them.
  if (specs.some((s) => s.kind === 'cognate') && !specs.some((s) => s.id === 'cognate-sqlite')) {
    targets.push(await startupOnly());
  }
  const mfaUsers = mfaUsersFor(before);
  if (mfaUsers > 0) log(`password-mfa: ${mfaUsers} TOTP users per target`);
  // The gateway paths' upstream, one process for the whole run, outside every target's process tree.
  const upstream = selectedAny(GATEWAY_PATHS) ? await startUpstream() : undefined;
  if (upstream) log(`gateway upstream: ${upstream.url}`);
  try {
    for (const spec of specs) {
      const outcome = await benchTarget(spec, {
        mfaUsers,
        sync: selectedAny(SYNC_PATHS),
        ...(upstream ? { upstreamUrl: upstream.url } : {}),
      });
      targets.push(outcome.summary);
      paths.push(...outcome.paths);
    }
  } finally {
    await upstream?.stop();
  }
  log('\ncrypto ceilings (after the load):');
  const ceilings = mergeCeilings([before, await measureCeilings(ceilingIds, settings.ceilingSec, log)]);

  // Group rows by path, targets in run order, so a path's numbers sit together in the table.
  const order = (id: string): number => targets.findIndex((t) => t.id === id);
  paths.sort(
    (a, b) =>
      selectedPaths.findIndex((p) => p.id === a.path) - selectedPaths.findIndex((p) => p.id === b.path) ||
      order(a.target) - order(b.target),
  );
  addRatios(paths, ceilings, targets);

  const report: Report = {
    mode,
    startedAt: startedAt.toISOString(),
    wallSeconds: (performance.now() - t0) / 1000,
    machine,
    settings,
    ceilings,
    targets,
    paths,
    goals: evaluateGoals(paths, targets, { ceilings, machine }),
  };
  if (args.scratch) {
    process.stdout.write(`\n${summary(report)}\n\n(--scratch: nothing written)\n`);
    return;
  }
  const file = writeResults(report, args.tag);
  if (args.tag) renderDocsFromLatest();
  else writeDocs(report, file);
  process.stdout.write(`\n${summary(report)}\n\nWrote ${file} and docs/benchmarks.md\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
