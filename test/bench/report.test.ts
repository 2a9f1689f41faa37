import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateGoals,
  gatewayLatencies,
  gatewayTable,
  type PathResult,
  type Report,
  type Run,
  type TargetSummary,
} from '../../bench/report.js';
import type { PathId } from '../../bench/paths.js';

/*
 * The gateway's added latency in the benchmark's report: each route's p50 less the upstream's
 * called directly, on the same target at the same concurrency, and the goal (well under
 * 1 ms at the median) judged at concurrency 1.
 */

const TARGET: TargetSummary = { id: 'cognate-sqlite', kind: 'cognate', label: 'Cognate (SQLite)' };

function run(concurrency: number, p50Ms: number): Run {
  return {
    concurrency,
    durationSec: 4,
    opsPerSec: 100,
    p50Ms,
    p99Ms: p50Ms * 2,
    errors: 0,
    cpuPercent: 50,
    clientCpuPercent: 10,
    loadGenerator: 'autocannon',
    peakRssBytes: 0,
    peakSinceStart: false,
  };
}

function path(id: PathId, runs: Run[]): PathResult {
  return { path: id, title: id, target: TARGET.id, runs };
}

const PATHS = [
  path('gateway-direct', [run(1, 0.3), run(16, 2)]),
  path('gateway-cognito', [run(1, 0.8), run(16, 5.5)]),
  path('gateway-iam', [run(1, 1.6)]),
];

function report(paths: PathResult[]): Report {
  return { targets: [TARGET], paths } as unknown as Report;
}

test('the added latency is the route p50 less the direct p50, at each concurrency both ran at', () => {
  const cognito = gatewayLatencies(PATHS, TARGET.id, 'gateway-cognito');
  assert.deepEqual(
    cognito.map((l) => [l.concurrency, Number(l.addedMs.toFixed(2))]),
    [
      [1, 0.5],
      [16, 3.5],
    ],
  );
  assert.deepEqual(
    gatewayLatencies(PATHS, TARGET.id, 'gateway-iam').map((l) => l.concurrency),
    [1],
  );
});

test('the table has a row per target and concurrency, with a dash where a route was not measured', () => {
  const lines = gatewayTable(report(PATHS))!.split('\n');
  assert.equal(lines.length, 4);
  assert.deepEqual(
    lines[2]!
      .split('|')
      .map((cell) => cell.trim())
      .slice(1, -1),
    ['Cognate (SQLite)', '1', '0.30', '0.80', '+0.50', '1.60', '+1.30'],
  );
  assert.deepEqual(
    lines[3]!
      .split('|')
      .map((cell) => cell.trim())
      .slice(1, -1),
    ['Cognate (SQLite)', '16', '2.00', '5.50', '+3.50', '—', '—'],
  );
});

test('no gateway path measured, no table', () => {
  assert.equal(gatewayTable(report([path('get-user', [run(16, 1)])])), undefined);
});

test('the goal is met under 1 ms at concurrency 1 and missed at 1 ms or more, whatever higher levels show', () => {
  const goals = evaluateGoals(PATHS, [TARGET]).filter((g) => g.goal.startsWith('API gateway'));
  assert.deepEqual(
    goals.map((g) => [g.goal.replace(/ \(.*/, ''), g.met]),
    [
      ['API gateway, COGNITO_USER_POOLS route: median latency added', true],
      ['API gateway, AWS_IAM route: median latency added', false],
    ],
  );
  assert.match(goals[0]!.measured, /^0\.50 ms/);
});

test('without a run at concurrency 1 the goal is not judged', () => {
  const busy = [path('gateway-direct', [run(16, 2)]), path('gateway-cognito', [run(16, 2.5)])];
  const goal = evaluateGoals(busy, [TARGET]).find((g) => g.goal.startsWith('API gateway, COGNITO'));
  assert.equal(goal?.met, null);
});
